#!/usr/bin/env bash
# Prepares .device/ (git-ignored) for a GPU machine that has a PyTorch installation, CMake,
# ninja and nvcc but no Debian packages and no network: the headers and static libraries the
# CLI links besides LibTorch (yaml-cpp, zlib, CLI11, nlohmann-json, stb) as a CMake prefix, and
# the four Fashion-MNIST files. scripts/gpu/check.sh builds and trains from it there.
set -euo pipefail
cd "$(dirname "$0")/../.."
bundle=.device
prefix=$bundle/prefix
data_source=${ATELIER_DATA:-/usr/share/datasets/fashion-mnist}
multiarch=/usr/lib/x86_64-linux-gnu

rm -rf "$prefix" "$bundle/data"
mkdir -p "$prefix/include" "$prefix/lib/cmake/yaml-cpp" "$prefix/share/cmake" "$bundle/data"

# stb (image_input.cpp) is found through this include folder, which yaml-cpp's target brings.
cp -r /usr/include/yaml-cpp /usr/include/CLI /usr/include/nlohmann /usr/include/stb "$prefix/include/"
cp /usr/include/zlib.h /usr/include/zconf.h "$prefix/include/"
# Static archives: the device's system libraries differ from Debian 12's.
cp "$multiarch/libyaml-cpp.a" "$multiarch/libz.a" "$prefix/lib/"
cp -r /usr/share/cmake/CLI11 /usr/share/cmake/nlohmann_json "$prefix/share/cmake/"

# Debian's yaml-cpp config names the shared library; this one names the archive.
cat >"$prefix/lib/cmake/yaml-cpp/yaml-cpp-config.cmake" <<'CONFIG'
get_filename_component(_yaml_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET yaml-cpp)
  add_library(yaml-cpp STATIC IMPORTED)
  set_target_properties(yaml-cpp PROPERTIES
    IMPORTED_LOCATION "${_yaml_prefix}/lib/libyaml-cpp.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_yaml_prefix}/include")
endif()
set(yaml-cpp_FOUND TRUE)
CONFIG

for file in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    cp "$data_source/$file.gz" "$bundle/data/"
done
du -sh "$bundle"
