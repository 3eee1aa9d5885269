#!/usr/bin/env bash
# Builds the Debian package with dpkg-deb from what `make deb` staged:
#   build-deb.sh VERSION BINARY MANPAGE COMPLETIONS_FOLDER OUTPUT_FOLDER
# Prints the package's path last.
set -euo pipefail
version=$1 binary=$2 manpage=$3 completions=$4 out=$5
here=$(cd "$(dirname "$0")" && pwd)

command -v dpkg-deb >/dev/null || { echo "make deb: dpkg-deb is missing; build Debian packages on Debian or Ubuntu (apt-get install dpkg)" >&2; exit 1; }
arch=$(dpkg --print-architecture)
root=$out/root
rm -rf "$root"
install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" "$root/usr/share/doc/authflow" \
    "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
    "$root/usr/share/fish/vendor_completions.d"
install -m 755 "$binary" "$root/usr/bin/authflow"
# Debian's policy: man pages gzipped with -n (no name or time stamp, so the package is reproducible).
gzip -9n < "$manpage" > "$root/usr/share/man/man1/authflow.1.gz"
chmod 644 "$root/usr/share/man/man1/authflow.1.gz"
install -m 644 "$completions/authflow.bash" "$root/usr/share/bash-completion/completions/authflow"
# zsh on Debian reads vendor-completions (site-functions is for /usr/local).
install -m 644 "$completions/_authflow" "$root/usr/share/zsh/vendor-completions/_authflow"
install -m 644 "$completions/authflow.fish" "$root/usr/share/fish/vendor_completions.d/authflow.fish"
install -m 644 "$here/copyright" "$root/usr/share/doc/authflow/copyright"

# The binary links the Swift runtime statically; what it still loads (objdump -p: NEEDED) comes from
# the packages in control.in's Depends, which the package test checks.
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" "$here/control.in" > "$root/DEBIAN/control"

deb=$out/authflow_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
