#!/usr/bin/env bash
# Builds the benchmark in Release and runs it from the repository root (it reads configs/demo/tsn_tiny_synth.yaml).
# Arguments pass through: [--quick] [--out bench/results/engine.json]. Exit status 1 when a goal is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Cluster.Bench -c Release --nologo -v quiet
exec dotnet bench/Cluster.Bench/bin/Release/net10.0/Cluster.Bench.dll "$@"
