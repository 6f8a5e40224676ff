"""Consultation (建言): campaigns, channels with API keys, suggestions from the public page, partners and files."""
