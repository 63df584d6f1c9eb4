# Torque — see README.md.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
BIN      := bin/torque
# Packages under test; the race detector runs everywhere.
PKGS     := ./...
GOTEST   := $(GO) test -race -count=1 -timeout 30m

.PHONY: run build web chromium test generate-check lint bench bench-1m fuzz clean

## run: build and start Torque with the TODO app on the embedded SQLite database
# On the first run, init creates the admin admin@localhost and prints its
# password once, on standard output, above serve's banner.
run: build
	$(BIN) init --example todo
	$(BIN) serve

## web: the TorqueApp (web/app) and the Model Editor (web/editor), one npm
# workspace, built into internal/webapp/dist, which the binary embeds.
# npm ci runs only when the lock file or a package.json is newer than the
# last install (a stamp inside node_modules).
WEB       := web
WEB_STAMP := $(WEB)/node_modules/.npm-ci.stamp
$(WEB_STAMP): $(WEB)/package-lock.json $(WEB)/package.json $(WEB)/app/package.json $(WEB)/editor/package.json
	cd $(WEB) && npm ci --no-audit --no-fund
	touch $@

web: $(WEB_STAMP)
	cd $(WEB) && npm run build

## build: the single binary at bin/torque
build: web
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/torque

## test: every test (CI=true makes the PostgreSQL suite and the browser scenarios required)
test: generate-check web chromium
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet $(PKGS)
	$(GOTEST) $(PKGS)
	npm --prefix $(WEB) run lint
	npm --prefix $(WEB) test

## chromium: the browser the scenarios drive (Debian's chromium at /usr/bin/chromium),
# installed with apt-get when it is missing and we may (as root); otherwise the
# scenarios are skipped, or fail under CI=true.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium for the browser scenarios"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

## generate-check: fail when go generate would change the checked-in GraphQL code
# It compares every file under internal/graphql before and after generating,
# so on a clean checkout (CI) it fails exactly when `git status --porcelain
# internal/graphql` would show a change, and locally it tolerates work not yet
# committed while still catching generated code that is stale.
GQLFILES = find internal/graphql -type f -print0 | sort -z | xargs -0 sha256sum
generate-check:
	@before="$$($(GQLFILES))"; \
	$(GO) generate ./internal/graphql/... || exit 1; \
	if [ "$$before" != "$$($(GQLFILES))" ]; then \
		echo "go generate ./internal/graphql/... changed the checked-in code; commit what it generates:"; \
		git status --porcelain internal/graphql; exit 1; \
	fi

## lint: gofmt, go vet, staticcheck and ESLint
lint: $(WEB_STAMP)
	@test -z "$$(gofmt -l .)" || { gofmt -l .; exit 1; }
	$(GO) vet $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS)
	npm --prefix $(WEB) run lint

## bench: Go benchmarks of the hot paths (100k entities; bench-1m adds the 1M fixture)
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

bench-1m:
	$(GO) test -run '^$$' -bench 'FilteredSortedPage' -benchmem -timeout 60m ./internal/store -args -torque.bench1m

## fuzz: run each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/filter
	$(GO) test -run '^$$' -fuzz '^FuzzParseSort$$' -fuzztime $(FUZZTIME) ./internal/filter
	$(GO) test -run '^$$' -fuzz '^FuzzParseModel$$' -fuzztime $(FUZZTIME) .
	$(GO) test -run '^$$' -fuzz '^FuzzPrepare$$' -fuzztime $(FUZZTIME) ./internal/schema
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeMembers$$' -fuzztime $(FUZZTIME) ./internal/rest
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeCursor$$' -fuzztime $(FUZZTIME) ./internal/store
	$(GO) test -run '^$$' -fuzz '^FuzzParseToken$$' -fuzztime $(FUZZTIME) ./internal/auth
	$(GO) test -run '^$$' -fuzz '^FuzzParseSessionSecret$$' -fuzztime $(FUZZTIME) ./internal/auth
	$(GO) test -run '^$$' -fuzz '^FuzzParseBearer$$' -fuzztime $(FUZZTIME) ./internal/auth
	$(GO) test -run '^$$' -fuzz '^FuzzVerifyPassword$$' -fuzztime $(FUZZTIME) ./internal/auth
	$(GO) test -run '^$$' -fuzz '^FuzzParseExpiry$$' -fuzztime $(FUZZTIME) ./internal/auth
	$(GO) test -run '^$$' -fuzz '^FuzzAuthenticate$$' -fuzztime $(FUZZTIME) ./internal/rest
	$(GO) test -run '^$$' -fuzz '^FuzzApplyEdits$$' -fuzztime $(FUZZTIME) .
	$(GO) test -run '^$$' -fuzz '^FuzzMergePatch$$' -fuzztime $(FUZZTIME) .
	$(GO) test -run '^$$' -fuzz '^FuzzQuery$$' -fuzztime $(FUZZTIME) ./internal/graphql
	$(GO) test -run '^$$' -fuzz '^FuzzServe$$' -fuzztime $(FUZZTIME) ./internal/jsonrpc
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeParams$$' -fuzztime $(FUZZTIME) ./internal/jsonrpc
	$(GO) test -run '^$$' -fuzz '^FuzzBuild$$' -fuzztime $(FUZZTIME) ./internal/layout

clean:
	rm -rf bin
