#!/usr/bin/env bash
# Checks the NCCL binding (src/Training/Distributed/Nccl) on a GPU machine: every collective on device memory with
# one rank per GPU, plus NcclProcessGroup on CUDA tensors where TorchSharp has CUDA (-p:TorchBackend=cuda).
# Needs libnccl.so.2 (e.g. LD_LIBRARY_PATH=.../nvidia/nccl/lib), an NVIDIA driver and the .NET 10 SDK, or a
# NcclCheck build carried over (then set NCCL_CHECK_PREBUILT=1).
# usage: bench/device/nccl-check.sh [--ranks N]      (N ≤ number of GPUs; NCCL refuses two ranks on one GPU)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/device/NcclCheck/bin/Release/net10.0/NcclCheck.dll
if [[ "${NCCL_CHECK_PREBUILT:-0}" != 1 ]]; then
    dotnet build bench/device/NcclCheck -c Release --nologo -v quiet
fi
command -v nvidia-smi >/dev/null && nvidia-smi -L || echo "nvidia-smi not found"
exec dotnet "$out" "$@"
