# Woonrust: `make run` starts everything on this machine, `make test` runs the whole suite.
.PHONY: run serve test lint typecheck format messages bench bench-seed sync clean

# uv fetches Python itself where it can; where it cannot, use an interpreter that is
# already installed (pyenv or the system), 3.13 preferred.
PY_FOUND := $(shell for p in $$HOME/.pyenv/versions/3.13*/bin/python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3.12 $$(command -v python3.13) $$(command -v python3.12); do [ -x "$$p" ] && "$$p" -c 'import sys' 2>/dev/null && echo "$$p" && break; done)
UV_PYTHON ?= $(if $(PY_FOUND),$(PY_FOUND),3.13)
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PY := .venv/bin/python
MANAGE := $(PY) manage.py

# The test suite talks to real services on their standard local ports.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/woonrust
TEST_BROKER_URL ?= redis://127.0.0.1:6379/0

.venv/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --python "$(UV_PYTHON)"
	@touch $@

sync: .venv/.synced

run: .venv/.synced
	@$(PY) -m ops.devrun

# Production mode on this machine: PostgreSQL, Redis, gunicorn, the chase, mail and SMS
# workers, one beat and nginx with TLS in front (deploy/serve says what it needs).
serve: .venv/.synced
	deploy/serve

# Every speed figure over HTTP (gunicorn as in production) beside two yardsticks, one
# line each; seeds or reuses a 10k and a 1M database (bench/http). BENCH_SIZES=10000
# for a quick run.
bench: .venv/.synced
	$(PY) bench/http

test: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	DATABASE_URL="$(TEST_DATABASE_URL)" CELERY_BROKER_URL="$(TEST_BROKER_URL)" DEBUG=true \
		.venv/bin/pytest $(PYTEST_ARGS)

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# mypy with django-stubs (pyproject.toml [tool.mypy]). Not yet part of `make test`: the
# remaining errors are being fixed module by module.
typecheck: .venv/.synced
	DEBUG=true .venv/bin/mypy .

format: .venv/.synced
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

messages: .venv/.synced
	$(MANAGE) makemessages -l nl -l en --no-obsolete --ignore=.venv --ignore=var
	$(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf var .venv
