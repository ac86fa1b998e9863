#!/usr/bin/env bash
# Installs the Debian package on this machine, checks that the installed Atelier works without
# a source tree (from /tmp, with the shipped presets), and removes it again. Run as root:
#   tests/package/check_deb.sh [atelier_<version>_<arch>.deb]
# (default: the newest atelier_*.deb in the repository root or build/package/). It changes
# /usr: use a container or a throwaway machine.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)

if [[ $(id -u) -ne 0 ]]; then
    echo "check_deb.sh: run as root (it installs and removes the package)" >&2
    exit 2
fi
# shellcheck disable=SC2012 # our own file names: ls -t picks the newest simply
# (ls fails when one of the two places has none: that is not an error here)
deb=${1:-$(ls -t "$repo"/atelier_*.deb "$repo"/build/package/atelier_*.deb 2>/dev/null | head -n 1 || true)}
if [[ -z $deb || ! -f $deb ]]; then
    echo "check_deb.sh: no package; build one with scripts/package.sh" >&2
    exit 2
fi
deb=$(realpath "$deb")
if dpkg -s atelier >/dev/null 2>&1; then
    echo "check_deb.sh: atelier is already installed; remove it first" >&2
    exit 2
fi

step() { printf '\n== %s\n' "$*"; }
work=$(mktemp -d)
# Whatever fails, the package goes again and the machine is as before.
cleanup() {
    apt-get remove -y atelier >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

step "lintian"
if command -v lintian >/dev/null; then
    # Errors and warnings fail; info tags (hardening flags of a CMake build, .comment
    # sections) are reported only.
    lintian --fail-on error,warning --tag-display-limit 0 "$deb"
else
    echo "lintian is not installed: skipped"
fi

step "install $deb"
apt-get install -y "$deb"

cd /tmp # nothing of the source tree may be needed from here on
step "atelier-cli --version"
atelier-cli --version | tee "$work/version"
grep -q "^atelier-cli [0-9]" "$work/version"
grep -q "^LibTorch: [0-9]" "$work/version"
grep -q "^CUDA: " "$work/version"

step "summary of a shipped preset"
atelier-cli summary /usr/share/atelier/presets/cnn_medium.yaml | tee "$work/summary"
grep -qi "param" "$work/summary"
ls /usr/share/atelier/sweeps/quick.yaml >/dev/null

step "one epoch on 600 images"
atelier-cli train /usr/share/atelier/presets/mlp_small.yaml --epochs 1 --limit 600 \
    --out "$work/runs" --quiet | tee "$work/train"
ls "$work"/runs/*/metrics.json >/dev/null

step "a report of that run, HTML and PDF"
run_dir=$(ls -d "$work"/runs/*/)
atelier-cli report "$run_dir" --out "$work/report.html"
grep -q "<svg" "$work/report.html"
atelier-cli report "$run_dir" --out "$work/report.pdf"
head -c 5 "$work/report.pdf" | grep -q "%PDF-"

step "studio --version under xvfb-run"
xvfb-run -a atelier --version | tee "$work/studio"
grep -q "^atelier [0-9]" "$work/studio"

step "man pages and completion"
ls /usr/share/man/man1/atelier.1.gz /usr/share/man/man1/atelier-cli.1.gz
ls /usr/share/bash-completion/completions/atelier-cli

step "desktop entry and metainfo"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate /usr/share/applications/io.github.atelier.Atelier.desktop
else
    echo "desktop-file-validate is not installed: skipped"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net /usr/share/metainfo/io.github.atelier.Atelier.metainfo.xml
else
    echo "appstreamcli is not installed: skipped"
fi
ls /usr/share/icons/hicolor/scalable/apps/io.github.atelier.Atelier.svg
for size in 16 22 24 32 48 64 128 256; do
    ls /usr/share/icons/hicolor/${size}x${size}/apps/io.github.atelier.Atelier.png
done

step "remove"
apt-get remove -y atelier
for path in /usr/bin/atelier-cli /usr/bin/atelier /usr/share/atelier; do
    if [[ -e $path ]]; then
        echo "check_deb.sh: $path is still there after removal" >&2
        exit 1
    fi
done
echo
echo "check_deb.sh: all checks passed"
