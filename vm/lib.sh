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
