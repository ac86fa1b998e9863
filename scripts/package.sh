#!/usr/bin/env bash
# Builds Atelier (./build, through scripts/build.sh: an existing configuration is reused) and
# makes the Debian package with CPack: build/package/atelier_<version>_<arch>.deb. Prints the
# package's path. Extra arguments go to CMake, as for scripts/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh "$@"
# CPack installs into a staging folder and runs dpkg-shlibdeps there for the library Depends.
(cd build && cpack --config CPackConfig.cmake -G DEB >&2)
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' build/CPackConfig.cmake)
deb="build/package/atelier_${version}_$(dpkg --print-architecture).deb"
if [[ ! -f $deb ]]; then
    echo "package.sh: cpack did not write $deb" >&2
    exit 1
fi
realpath "$deb"
