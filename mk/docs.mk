# The docs check (tools/docs-check.py): every file, function, identifier, make target
# and link that README.md and docs/*.md name must exist in the repository.
#   make docs-check   the check, its self-test (a planted stale name must fail it), and
#                     the catalogs' own consistency check (catalog/catalog.py)
.PHONY: docs-check
docs-check:
	$(Q)python3 -B tools/docs-check.py
	$(Q)python3 -B tools/tests/test_docs_check.py
	$(Q)python3 -B catalog/catalog.py >/dev/null
	$(Q)echo "docs-check: ok (and a planted stale name fails it)"
