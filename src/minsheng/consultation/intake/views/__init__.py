"""Pages of the consultation platform: public (citizens) and manage (owners, officers, partners)."""
