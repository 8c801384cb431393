# certforge: `make run` starts the standalone stack, `make test` runs every test.
# Both install what is missing (scripts/install-deps) and build first.

BUILD_DIR ?= build
BUILD_TYPE ?= Release
export CERTFORGE_HOME ?= $(CURDIR)/.certforge
CTEST_ARGS ?=

.PHONY: all deps build run up down test unit integration e2e bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR)

# The standalone stack in the foreground until Ctrl-C.
run: build
	@scripts/stack run

# The same stack in the background; returns once it is ready.
up: build
	@scripts/stack up

# Stops exactly what `make up` started.
down:
	@scripts/stack down

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L 'unit|integration|e2e' $(CTEST_ARGS)

unit integration e2e: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L '^$@$$' $(CTEST_ARGS)

bench: build
	@bench/run-all

clean:
	rm -rf $(BUILD_DIR)
