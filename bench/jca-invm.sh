#!/usr/bin/env bash
# JCA in-VM send benchmark: one broker process (Payara Micro) with a benchmark application beside it; in-VM sends
# through the resource adapter (sync and async, 100 B and 1 KiB), send->onRecord latency, and the same records
# through the Kafka protocol with a stock producer against the same broker. Prints RESULT lines (3 rounds each).
# Usage: bench/jca-invm.sh          (see arquillian-tests/.../JcaInVmBenchmark.java)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mvn -B -pl arquillian-tests -am verify -Dtributary.bench=true -Dit.test=JcaInVmBenchmark -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  | grep -E '^RESULT|BUILD|ERROR' || true
