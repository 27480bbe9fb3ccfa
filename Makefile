# The two commands of the README: `make demo` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := demo/leadctl-demo.db
DEMO_NOW := 2026-11-20T08:30
DEMO_MANAGER := 张建国
DEMO_CONSULTANT := 赵磊  # whose morning list the demo prints (40 leads; the showroom's is 393)
LEADCTL := LEADCTL_DB=$(DEMO_DB) LEADCTL_NOW=$(DEMO_NOW) $(BIN)/leadctl
DEMO_PAGER := PAGER=cat  # the demo prints its long lists straight through instead of stopping in less

.PHONY: demo test lint clean catalogs

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/activate pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	mkdir -p demo
	$(LEADCTL) init
	@echo "正在载入样例门店一年的数据（36,000 条记录，约 10-20 秒）..."
	$(LEADCTL) replay sample_data/store_year.jsonl
	$(DEMO_PAGER) $(LEADCTL) --as $(DEMO_CONSULTANT) due --today
	$(DEMO_PAGER) $(LEADCTL) --as $(DEMO_MANAGER) report kpi --month 2026-10
	$(LEADCTL) --as $(DEMO_MANAGER) report monthly --month 2026-10 --xlsx demo/monthly-2026-10.xlsx --force

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto

# after adding or changing a user-facing string: extract, merge into leadctl/locale/*/LC_MESSAGES/leadctl.po,
# translate the new empty entries there, then run it again to compile the .mo (committed, shipped as package data)
catalogs: $(VENV)/.installed-test
	$(BIN)/python scripts/catalogs.py

clean:
	rm -rf $(VENV) demo .pytest_cache
