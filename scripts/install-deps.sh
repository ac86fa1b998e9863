#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing and running Atelier need,
# and only those that are missing. Works as root, or through sudo otherwise.
set -euo pipefail

packages=(
  # toolchain (lld: the faster linker that CMakeLists.txt picks)
  g++ cmake ninja-build pkg-config lld
  # engine: LibTorch (CPU), YAML, gzip; an optimized BLAS that matches LibTorch's OpenMP
  # (without it Debian's LibTorch runs on the reference netlib BLAS, ~15x slower matmuls)
  libtorch-dev libopenblas0-openmp libyaml-cpp-dev zlib1g-dev
  # model export: ONNX's own C++ library and schema (with protobuf), image decoding for
  # `atelier-cli predict`; the runtimes that check exported models in the tests: ONNX's
  # checker, OpenCV's DNN module and PyTorch (tests/model_export/check_exports.py)
  libonnx-dev libprotobuf-dev libstb-dev python3-onnx python3-opencv python3-torch python3-numpy
  # command line and JSON
  libcli11-dev nlohmann-json3-dev
  # studio
  # (qt6-charts-dev needs Qt6OpenGL's CMake config but does not depend on its package)
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev
  # the built-in dataset
  dataset-fashion-mnist
  # headless GUI tests and screenshots; localedef builds a decimal-comma locale for a test
  xvfb xauth locales
  # a single-node Slurm on localhost for the cluster tests (scripts/slurm/start-local.sh)
  slurm-wlm munge
  # the Debian package: dpkg-shlibdeps computes its dependencies; its desktop entry and
  # AppStream metainfo are validated, and lintian checks the package against Debian policy
  # (scripts/package.sh, tests/package/check_deb.sh)
  dpkg-dev desktop-file-utils appstream lintian
  # reports: poppler renders a PDF report's page to check it is not blank (tests/tst_report)
  poppler-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and neither root nor sudo to install them" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
