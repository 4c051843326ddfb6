.PHONY: demo test lint
demo:  ## set up and serve the demo on http://localhost:8000
	scripts/demo.sh
test:  ## set up and run the tests against local PostgreSQL and Redis
	scripts/test.sh
lint:
	.venv/bin/ruff check .
