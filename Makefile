# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= out/demo
N      ?= 20000

.PHONY: run test lint bench system-deps clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.lock
	$(VENV)/bin/pip install -q --no-deps -e .
	@# pip compiles what it installs, but not an editable install's own modules; with PYTHONDONTWRITEBYTECODE set
	@# every command would compile them again (0.1-0.2 s of each start). A module edited since is compiled in memory again, as before.
	$(PY) -m compileall -q src
	touch $@

# Debian packages: a browser for page tests, CJK fonts for PDFs and screenshots, poppler for PDF checks.
system-deps:
	@bash scripts/system-deps.sh

# The assistance demo encrypts ID numbers, contributors' contacts, and keys the pseudonyms of writers: random keys
# made once per checkout, kept out of git under var/.
ID_KEY := var/assistance_id_key
CONTACT_KEY_FILE := var/contact_key
PSEUDONYM_KEY_FILE := var/pseudonym_key
$(ID_KEY) $(CONTACT_KEY_FILE) $(PSEUDONYM_KEY_FILE):
	@mkdir -p var && umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(48))" > $@
KEYS = ASSISTANCE_ID_KEY=$$(cat $(ID_KEY)) CONTACT_KEY=$$(cat $(CONTACT_KEY_FILE)) \
       MINSHENG_PSEUDONYM_KEY=$$(cat $(PSEUDONYM_KEY_FILE))

run: $(STAMP) $(ID_KEY) $(CONTACT_KEY_FILE) $(PSEUDONYM_KEY_FILE) system-deps
	@bash scripts/compile-locale.sh
	@# Modules edited since the install (a pull): compiled now, not by every command (or its first run) again.
	$(PY) -m compileall -q src
	$(VENV)/bin/minsheng synth --n $(N) --seed 7 --regions --out $(OUT)/corpus.csv
	$(VENV)/bin/minsheng manage migrate --no-input -v 0
	$(KEYS) $(VENV)/bin/minsheng manage seed_demo --corpus $(OUT)/corpus.csv --limit 5000 --logins-out var/demo-logins.txt
	$(KEYS) $(VENV)/bin/minsheng serve --host 127.0.0.1 --port 8000 --welcome var/demo-logins.txt

test: $(STAMP) system-deps
	bash scripts/test.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests

bench: $(STAMP)
	$(VENV)/bin/minsheng bench

clean:
	rm -rf $(VENV) out
