# Writ — the two entry points of the README, and a few helpers.
#   make demo   build the rulebooks, check them, and run the demo job
#   make test   the whole test suite (what CI runs)
SWIFT ?= swift
export WRIT_STRICT ?= 1

.PHONY: deps build release test demo fmt-check bench clean

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product writ
	$(SWIFT) build -c release --product WritAllocCounter

test: deps
	$(SWIFT) build --build-tests
	# The golden files are compared, never rewritten, whatever the caller exported.
	env -u WRIT_UPDATE_GOLDEN -u WRIT_UPDATE_GOLDENS $(SWIFT) test --skip-build
	$(SWIFT) run -c debug writ check rules
	$(SWIFT) run -c debug writ test rules
	$(SWIFT) run -c debug writ fmt --check rules

demo: release
	./scripts/demo.sh

clean:
	rm -rf .build out
