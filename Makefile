# Thin driver over CMake: `make demo` and `make test` do all the set-up on a fresh Debian machine.
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps deps-extra build demo test bench check-sanitize check-valgrind check-libreoffice \
	fuzz fuzz-smoke install clean format

all: build

deps:
	@scripts/install-deps

# clang with its fuzzer and sanitizer runtimes, and valgrind: only the check-* and fuzz
# targets need them, so `make test` stays lean
deps-extra:
	@scripts/install-deps --extra

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
	EVPACK=$(abspath $(BUILD))/evpack tests/bench/run.sh $(or $(COUNTS),100000 1000000)

check-sanitize: deps deps-extra
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DEV_SANITIZE=ON -DCMAKE_C_COMPILER=clang
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

# The CLI over every sample and some bad inputs under valgrind (docs/robustness.md): any
# memory error or definite/indirect leak fails, as does an unexpected exit status.
VALGRIND ?= valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect --error-exitcode=1
check-valgrind: build deps-extra
	@set -e; E=$(BUILD)/evpack; O=$$(mktemp -d); trap 'rm -rf "$$O"' EXIT; n=0; \
	run() { want=$$1; shift; n=$$((n + 1)); echo "valgrind: evpack $$*"; st=0; \
	  $(VALGRIND) "$$E" "$$@" >"$$O/out" 2>"$$O/err" || st=$$?; \
	  if [ "$$st" -ne "$$want" ]; then sed 's/^/  /' "$$O/err"; \
	    echo "check-valgrind: exit $$st, wanted $$want: evpack $$*"; exit 1; fi; }; \
	B="build -f pci-dss-4.0.1 -s samples/scope.json --as-of 2026-10-01 -q"; \
	run 0 $$B -e samples/evidence.json -x samples/exceptions.json --attach \
	  -o "$$O/pack" samples/findings.json; \
	run 0 verify "$$O/pack"; \
	run 0 $$B -f hipaa-security --format md,json -o "$$O/p2" \
	  tests/data/prowler/example_output_aws.csv tests/data/prowler/example_output_aws.ocsf.json \
	  tests/data/config/awscli_example_get-compliance-details-by-config-rule_1.json \
	  tests/data/ocsf/securityhub_ocsf_findings.json tests/data/asff/awscli_example_get-findings_1.json; \
	run 0 validate frameworks/pci-dss-4.0.1.json frameworks/aws-artifacts.json \
	  frameworks/aws-services.json samples/scope.json samples/evidence.json samples/exceptions.json; \
	run 0 matrix; \
	run 0 matrix --format json --services ec2,rds,s3,lambda; \
	run 0 frameworks; \
	run 0 import-prowler tests/data/prowler-compliance/hipaa_aws.json; \
	for f in findings-truncated findings-invalid-utf8 findings-wrong-type framework-duplicate-id \
	    scope-bad-sha256 evidence-missing-attachment exceptions-blanket; do \
	  role=$${f%%-*}; \
	  case $$role in \
	  findings) run 2 $$B -o "$$O/bad" tests/bad/$$f.json ;; \
	  framework) run 2 build -f tests/bad/$$f.json -s samples/scope.json --as-of 2026-10-01 \
	    -o "$$O/bad" samples/findings.json ;; \
	  scope) run 2 build -f pci-dss-4.0.1 -s tests/bad/$$f.json --as-of 2026-10-01 \
	    -o "$$O/bad" samples/findings.json ;; \
	  evidence) run 2 $$B -e tests/bad/$$f.json -o "$$O/bad" samples/findings.json ;; \
	  exceptions) run 2 $$B -x tests/bad/$$f.json -o "$$O/bad" samples/findings.json ;; \
	  esac; \
	done; \
	run 2 verify "$$O/missing"; \
	echo "check-valgrind: $$n runs, no memory errors, no leaks"

# libFuzzer harnesses (tests/fuzz, docs/robustness.md): clang build in $(FUZZ_BUILD), each
# harness run FUZZ_SECONDS from its seed corpus; prints executions and findings per harness
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
$(FUZZ_BUILD)/CMakeCache.txt:
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DEV_FUZZ=ON

fuzz: deps deps-extra $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=10

# The sample workbook opened by LibreOffice (headless, every sheet converted to CSV) and
# checked against pack.json. Installs libreoffice-calc-nogui (large), so it is an extra target,
# not part of `make test`.
check-libreoffice: build
	@dpkg-query -W -f='$${Status}' libreoffice-calc-nogui 2>/dev/null | grep -q "ok installed" || \
	  { [ "$$(id -u)" -eq 0 ] || S=sudo; $$S apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$S apt-get install -y -qq --no-install-recommends \
	    libreoffice-calc-nogui; }
	@set -e; O=$$(mktemp -d); trap 'rm -rf "$$O"' EXIT; \
	$(BUILD)/evpack build -f pci-dss-4.0.1 -s samples/scope.json --as-of 2026-10-01 -q \
	  -e samples/evidence.json -x samples/exceptions.json --format xlsx,json -o "$$O/pack" \
	  samples/findings.json; \
	/usr/bin/python3 tests/cli/xlsx_check.py --libreoffice "$$O/pack"

install: build
	cmake --install $(BUILD)

format:
	clang-format -i src/*.c src/*/*.c src/*/*.h src/*.h tests/unit/*.c

clean:
	rm -rf $(BUILD) build-asan $(FUZZ_BUILD) out
