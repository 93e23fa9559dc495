#!/usr/bin/env bash
# Runs the peers of ../shared/bench and Tensile on the same workloads, back to back, for
# ROUNDS fresh rounds, then prints the peers' aggregate table (medians of per-round medians),
# so one run gives the ratios. The peers are installed outside the project by
# ../shared/bench/peers/setup.sh; they never become dependencies of Tensile.
#
#   bash bench/compare.sh [ROUNDS]        # default 3; results in out/bench/round_N.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
PEERS="${PEERS_DIR_SRC:-$(cd .. && pwd)/shared/bench/peers}"
PY=/usr/bin/python3
OUT=out/bench
mkdir -p "$OUT"
[ -d "$PEERS" ] || { echo "compare.sh: no peers at $PEERS (set PEERS_DIR_SRC)" >&2; exit 2; }
bash "$PEERS/setup.sh" >&2

for r in $(seq 1 "$ROUNDS"); do
  f="$OUT/round_$r.jsonl"
  : > "$f"
  # Each Tensile run follows the peer it is compared with, so the pair sees the same load.
  (cd "$PEERS" && node tfjs_bench.mjs --backend cpu --only gemm,mlp) >> "$f" 2>/dev/null || true
  npm run -s bench -- --backend ts --workload gemm,mlp --sizes 256,512,1024 >> "$f" 2>/dev/null || true
  (cd "$PEERS" && $PY torch_bench.py --threads 1 --only gemm,mlp,cnn,conv2d) >> "$f" 2>/dev/null || true
  (cd "$PEERS" && OMP_WAIT_POLICY=PASSIVE $PY torch_bench.py --threads 2 \
    --only gemm,mlp,cnn,conv2d --label torch-2thr) >> "$f" 2>/dev/null || true
  (cd "$PEERS" && $PY numpy_gemm.py --label numpy-openblas) >> "$f" 2>/dev/null || true
  npm run -s bench -- --backend native --workload gemm,mlp,cnn,conv2d >> "$f" 2>/dev/null || true
  npm run -s bench -- --backend native --threads 1 --workload gemm,mlp,cnn,conv2d \
    >> "$f" 2>/dev/null || true
  echo "round $r of $ROUNDS done" >&2
done
$PY "$PEERS/aggregate.py" "$OUT"/round_*.jsonl
