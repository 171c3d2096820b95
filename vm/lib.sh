# vm/lib.sh - shared by the vm/ scripts (sourced, not run).
#
# Everything downloaded or built lives in the cache, outside the repository,
# so a clean clone stays clean and a second run reuses it:
#   $FSNC_VM_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/fsnc)

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$VM_DIR/.." && pwd)
CACHE=${FSNC_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fsnc}

vm_die() { echo "vm: $*" >&2; exit 2; }
vm_log() { echo "vm: $*" >&2; }

# Seconds since the epoch with a fraction, for the timings we print.
vm_now() { date +%s.%N; }
vm_since() { awk -v a="$1" -v b="$(vm_now)" 'BEGIN { printf "%.1f", b - a }'; }

# The candidate version of a Debian package, or nothing.
vm_candidate() {
	apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { if ($2 != "(none)") print $2 }'
}

# apt-get download PKG[=VER] into DIR (apt-get download writes to the cwd).
# Run as root apt drops to the _apt user, which cannot write to $HOME: do
# the download in a scratch directory it can write to, then move the file.
vm_apt_download() {
	local spec=$1 dir=$2 tmp
	tmp=$(mktemp -d /tmp/fsnc-apt.XXXXXX)
	chmod 777 "$tmp"
	if ! (cd "$tmp" && apt-get download -q "$spec" >&2); then
		rm -rf "$tmp"
		return 1
	fi
	mv "$tmp"/*.deb "$dir"/
	rmdir "$tmp"
}

# Debian's linux-source-X.Y, downloaded and extracted (never installed:
# installing it would pull upgrades of unrelated packages) into the cache
# once.  Prints the source directory on stdout.
vm_kernel_source() {
	local pkg=$1 ver src tarball t
	ver=$(vm_candidate "$pkg")
	[ -n "$ver" ] || vm_die "apt-cache knows no $pkg (apt-get update? a bookworm mirror?)"
	src="$CACHE/src/$pkg-$ver"
	if [ ! -f "$src/.fsnc-done" ]; then
		t=$(vm_now)
		rm -rf "$src" "$src.deb"
		mkdir -p "$src.deb"
		vm_apt_download "$pkg=$ver" "$src.deb" || vm_die "apt-get download $pkg=$ver failed"
		dpkg-deb -x "$src.deb"/*.deb "$src.deb/x"
		tarball=$(ls "$src.deb"/x/usr/src/linux-source-*.tar.xz)
		mkdir -p "$src"
		tar -xJf "$tarball" -C "$src" --strip-components=1
		rm -rf "$src.deb"
		touch "$src/.fsnc-done"
		vm_log "downloaded and extracted $pkg $ver in $(vm_since "$t") s"
	fi
	echo "$src"
}

# The tools a kernel build needs (scripts/setup installs them).
vm_kernel_tools() {
	local tool
	for tool in make gcc flex bison bc; do
		command -v $tool >/dev/null || vm_die "building a kernel needs $tool (run scripts/setup)"
	done
	[ -e /usr/include/libelf.h ] || vm_die "building a kernel needs libelf-dev (run scripts/setup)"
}

# Configure the out-of-tree build OUT of SRC: tinyconfig, the fragments
# merged on top, olddefconfig.  olddefconfig silently drops a symbol whose
# dependencies are missing: every CONFIG_X=v line of the fragments must
# land in .config as written, or this dies naming the ones that did not.
vm_kernel_config() {
	local src=$1 out=$2 line missing=0
	shift 2
	mkdir -p "$out"
	make -s -C "$src" O="$out" tinyconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$@" >/dev/null
	make -s -C "$src" O="$out" olddefconfig >/dev/null
	while read -r line; do
		case $line in CONFIG_*=*) ;; *) continue ;; esac
		if ! grep -qx "$line" "$out/.config"; then
			vm_log "fragment symbol did not land in .config: $line (got: $(grep "^${line%%=*}=\|# ${line%%=*} " "$out/.config" || echo absent))"
			missing=1
		fi
	done < <(cat "$@")
	[ $missing = 0 ] || vm_die "config fragment not satisfied, see above"
}

# make -jJOBS TARGET in OUT, the log in OUT/build.log; dies with its tail.
vm_kernel_make() {
	local src=$1 out=$2 jobs=$3 target=$4
	if ! make -s -C "$src" O="$out" -j"$jobs" "$target" >"$out/build.log" 2>&1; then
		tail -20 "$out/build.log" >&2
		vm_die "kernel build failed (log: $out/build.log)"
	fi
}
