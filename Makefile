# Thin aliases for tasks.py, which needs only Python 3.11+ and pip. Both README commands run in CI.
PYTHON ?= python3

.PHONY: report test lab docs
report:
	$(PYTHON) tasks.py report
test:
	$(PYTHON) tasks.py test
lab:
	$(PYTHON) tasks.py lab
docs:
	$(PYTHON) tasks.py docs
