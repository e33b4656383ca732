# Thin driver over CMake: `make demo` and `make test` do all the set-up on a fresh Debian machine.
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build demo test bench check-sanitize install clean format

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@rm -rf out/demo
	$(BUILD)/evpack build -f pci-dss-4.0.1 -s samples/scope.json --as-of 2026-10-01 \
	  -e samples/evidence.json -x samples/exceptions.json --attach \
	  -o out/demo samples/findings.json
	$(BUILD)/evpack verify out/demo
	@echo "Sample pack written to out/demo (open out/demo/report.md)"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	tests/bench/ingest.sh $(or $(COUNT),115000)

check-sanitize: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DEV_SANITIZE=ON -DCMAKE_C_COMPILER=clang
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

install: build
	cmake --install $(BUILD)

format:
	clang-format -i src/*.c src/*/*.c src/*/*.h src/*.h tests/unit/*.c

clean:
	rm -rf $(BUILD) build-asan out
