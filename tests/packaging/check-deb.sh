#!/usr/bin/env bash
# usage: check-deb.sh BUILD_DIR OUT_DIR — runs `cpack -G DEB` from BUILD_DIR and checks the two
# packages: benchtop, the application, and benchtop-dev, the driver SDK.
set -euo pipefail
build=$1 out=$2
rm -rf "$out" && mkdir -p "$out"
(cd "$build" && cpack -G DEB -B "$out" > "$out/cpack.log" 2>&1) || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/benchtop_*.deb)
dev=$(ls "$out"/benchtop-dev_*.deb)
echo "built $deb and $dev"
contents=$(dpkg-deb -c "$deb")
# The SDK's files are benchtop-dev's only.
if grep -E '/usr/include/|/usr/lib/cmake/|libbenchtop_core\.so ' <<<"$contents"; then
    echo "the application's package holds files of the SDK"; exit 1
fi
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

# benchtop-dev: the headers a driver includes, the link-time name of the library and the CMake
# package; not the headers of the host, the lab or yaq, nor the async toolkit's private headers
# that no public one includes.
dev_contents=$(dpkg-deb -c "$dev")
for path in ./usr/include/benchtop/device/device.h \
            ./usr/include/benchtop/device/traits.h \
            ./usr/include/benchtop/device/sensorstate.h \
            ./usr/include/benchtop/device/measurementrunner.h \
            ./usr/include/benchtop/device/positionstate.h \
            ./usr/include/benchtop/device/messagedefinition.h \
            ./usr/include/benchtop/plugins/driverfactory.h \
            ./usr/include/benchtop/plugins/configproblem.h \
            ./usr/include/benchtop/device/diagnostics.h \
            ./usr/include/benchtop/async/task.h \
            ./usr/include/benchtop/async/taskframe_p.h \
            ./usr/include/benchtop/io/transport.h \
            "./usr/lib/benchtop/libbenchtop_core.so -> libbenchtop_core.so.0.1" \
            ./usr/lib/cmake/Benchtop/BenchtopConfig.cmake \
            ./usr/lib/cmake/Benchtop/BenchtopConfigVersion.cmake \
            ./usr/lib/cmake/Benchtop/BenchtopTargets.cmake \
            ./usr/lib/cmake/Benchtop/BenchtopMacros.cmake; do
    grep -qF "$path" <<<"$dev_contents" || { echo "missing from benchtop-dev: $path"; echo "$dev_contents"; exit 1; }
done
for path in /include/benchtop/host/ /include/benchtop/lab/ /include/benchtop/yaq/ \
            /include/benchtop/plugins/pluginregistry.h /include/benchtop/async/scheduler_p.h \
            /usr/bin/ /usr/share/ libbenchtop_core.so.0.1.0; do
    if grep -F "$path" <<<"$dev_contents"; then echo "benchtop-dev should not hold $path"; exit 1; fi
done
dev_depends=$(dpkg-deb -f "$dev" Depends)
echo "benchtop-dev Depends: $dev_depends"
version=$(dpkg-deb -f "$deb" Version)
for dep in "benchtop (= $version)" qt6-base-dev qt6-serialport-dev qcoro-qt6-dev; do
    grep -qF "$dep" <<<"$dev_depends" || { echo "benchtop-dev: missing dependency: $dep"; exit 1; }
done
# The CMake package is relocatable: no path of this build or of the source tree in it.
dpkg-deb -x "$dev" "$out/root"
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
if grep -rlF -e "$(realpath "$build")" -e "$source_dir/" "$out/root/usr/lib/cmake/Benchtop"; then
    echo "the CMake package names a path of the build"; exit 1
fi
echo "package OK"
