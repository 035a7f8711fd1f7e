#!/usr/bin/env bash
# usage: check-deb.sh BUILD_DIR OUT_DIR — runs `cpack -G DEB` from BUILD_DIR and checks the package.
set -euo pipefail
build=$1 out=$2
rm -rf "$out" && mkdir -p "$out"
(cd "$build" && cpack -G DEB -B "$out" > "$out/cpack.log" 2>&1) || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/benchtop_*.deb)
echo "built $deb"
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/benchtop \
            ./usr/share/applications/dev.benchtop.Benchtop.desktop \
            ./usr/share/metainfo/dev.benchtop.Benchtop.metainfo.xml \
            ./usr/share/icons/hicolor/scalable/apps/benchtop.svg \
            ./usr/share/icons/hicolor/256x256/apps/benchtop.png \
            ./usr/lib/benchtop/libbenchtop_core.so. \
            ./usr/lib/benchtop/plugins/libbenchtop_sim.so; do
    grep -qF "$path" <<<"$contents" || { echo "missing from the package: $path"; echo "$contents"; exit 1; }
done
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for dep in libqt6widgets6 libqcoro6core0 qt6-qpa-plugins; do
    grep -q "$dep" <<<"$depends" || { echo "missing dependency: $dep"; exit 1; }
done
# The installed binary must find its private library through its RPATH.
dpkg-deb -x "$deb" "$out/root"
runpath=$(readelf -d "$out/root/usr/bin/benchtop" | grep -E 'RUNPATH|RPATH')
grep -qF '$ORIGIN/../lib/benchtop' <<<"$runpath" || { echo "bad runpath: $runpath"; exit 1; }
QT_QPA_PLATFORM=offscreen "$out/root/usr/bin/benchtop" --version
# The installed application finds its installed driver plugins (and checks its demo lab with them).
plugins=$("$out/root/usr/bin/benchtop" --list-plugins)
echo "$plugins"
grep -qF "($out/root/usr/lib/benchtop/plugins/libbenchtop_sim.so)" <<<"$plugins" \
    || { echo "the installed sim plugin was not found"; exit 1; }
if grep -q "Refused" <<<"$plugins"; then echo "a plugin was refused"; exit 1; fi
"$out/root/usr/bin/benchtop" --check
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$out/root/usr/share/applications/dev.benchtop.Benchtop.desktop"
fi
echo "package OK"
