# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034 # variables for the sourcing script
#
# Helpers of the cross-domain test bed (scripts/e2e-domu.sh). Sourced,
# never run: the caller sets "set -eu" itself. Builds on the single-domain
# test bed's helpers (scripts/testbed/common.sh: cache_root, key_of,
# lock_cache, apt_get, log, die, and the initramfs builders entries,
# with_links, lib_closure, stage_files, root_skeleton, install_busybox,
# install_stock_modules, mkcpio).

top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=scripts/testbed/common.sh
. "$top/scripts/testbed/common.sh"
domu_bed=$top/scripts/testbed-domu
