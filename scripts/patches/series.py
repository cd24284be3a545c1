#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# series.py: build the virtio-argo patch series as commits in a git
# repository of a pristine kernel tree (scripts/patches.sh runs it).
#
#   series.py --repo TOP --tree TREE --base REV --branch NAME
#             --ident "Name <email>" --date DATE --unifdef PROG
#             --manifest FILE --objects FILE
#             --cover-template FILE --cover FILE [--set KEY=VALUE]...
#
# The project's files come from the repo itself (git ls-files: tracked, and
# untracked but not ignored), so new files never need a change here. Each
# kernel file goes to the first patch whose patterns match it; then a
# header moves to the earliest patch that includes it, and a source no
# pattern matches goes with the module it is linked into (or, failing that,
# to a catch-all patch). The out-of-tree Kconfig and Makefiles are cut into
# entries and statements, and each one lands in the patch that adds the
# last file it needs, so that every commit of the series builds. Commits
# are made with git plumbing only: the tree's work tree is not touched.
#
# --manifest gets where every repo file went (or that it stays out);
# --objects gets the objects the series' Makefiles build, one
# "<object> <patch number> <options>" line each: the first patch that
# builds it, and the CONFIG_ symbols (comma-separated, or "-") its
# Makefile lines depend on. Prints the last commit's id.

import argparse
import fnmatch
import os
import posixpath
import re
import subprocess
import sys
import textwrap

# The patches, in order. A file goes to the first patch with a matching
# pattern (fnmatch on the repo path; "*" also matches "/"). The patch whose
# patterns are None takes the kernel files nothing else claims; it, like
# any patch, is left out when empty.
PATCHES = [
    {
        'key': 'argo',
        'patterns': ['include/xen/interface/argo.h', 'include/linux/argo.h',
                     'include/trace/events/argo*', 'drivers/virtio/argo_*'],
        'subject': 'virtio: argo: add the Xen Argo ABI and interdomain messaging layer',
        'body': """\
Xen's Argo is a hypervisor-mediated interdomain messaging mechanism: a
domain registers rings made of its own pages, and the hypervisor copies
every message into the destination ring, checks it against its access
control (XSM/FLASK), and raises VIRQ_ARGO in the receiver. No memory is
shared or granted between the domains. Linux has had no interface to it.

Add the Argo ABI (include/xen/interface/argo.h, checked against Xen's
public header: sizes, offsets and constants) and an in-kernel layer
(argo.ko, include/linux/argo.h) with ring registration over any list of
pages, sendv, notify and message reading. The kernel gets a single
VIRQ_ARGO binding, shared by all users of the layer: the VIRQ does not
say which ring it is for, so every ring with an event callback is looked
at on each one.

The layer follows what Xen 4.17 really does: it registers rings with
XEN_ARGO_REGISTER_FLAG_FAIL_EXIST and never re-registers one (each
re-registration costs one of the domain's 128 ring slots for good), and
it truncates sendv's result to int, as Xen 4.17 returns errors
zero-extended to 64 bits.

A second provider simulates the hypervisor with the same semantics (one
free slot per ring, space wakeups only through notify, 128 rings per
domain), so the layer and its users can be tested without Xen.""",
    },
    {
        'key': 'proto',
        'patterns': ['include/linux/virtio_argo.h', 'include/uapi/linux/virtio_argo*',
                     'drivers/virtio/virtio_argo_proto*'],
        'subject': 'virtio: argo: add the wire protocol and its codec',
        'body': """\
Define the virtio-argo wire protocol shared by the guest transport and the
device side: a 16-byte little-endian header (magic, version, type, flags,
status, request id, payload length), a control message set modelled on
virtio-msg (device info, feature blocks, configuration with a generation
count, status, virtqueue set-up and reset), events (available buffers,
used buffers, configuration change) and data messages carrying buffer
contents, with buffer tokens standing in for descriptor addresses.

virtio_argo_proto.ko is the codec and does no I/O. The decoder checks
every length, count, index and reserved field against the negotiated
limits; the encoder decodes its own output with the peer's limits before
it is sent. It is a module of its own because the transport, the device
side and the tests all use it.""",
    },
    {
        'key': 'transport',
        'patterns': ['drivers/virtio/virtio_argo.h', 'drivers/virtio/virtio_argo_transport*',
                     'drivers/virtio/virtio_argo_ctrl*', 'drivers/virtio/virtio_argo_vq*',
                     'drivers/virtio/virtio_argo_trace*', 'drivers/virtio/virtio_argo_debugfs*',
                     'include/trace/events/virtio_argo*'],
        'subject': 'virtio: argo: add a virtio transport over Xen Argo',
        'body': """\
Add a virtio transport whose configuration access, notifications and
buffer contents all travel as Argo messages, so that unmodified virtio
drivers work between a guest and a device domain that share no memory.

Devices are platform devices found in ACPI (_HID plus _DSD properties
for the device domain, its port, the virtio device id and the queue
limits) or, in guests without ACPI, given as a module parameter. Each
device uses three rings (control, data, used), shared by all its
queues. Configuration operations are protocol requests with a timeout.
A kick sends the new available entries and the descriptors they
reference. Used buffers come back by one of two schemes (module
parameter used_scheme): plain, the default, where the device sends the
used elements and the transport writes the entries first and the index
last; or direct, where the device writes the used ring itself through
an Argo ring over the used ring's pages, its first page listed twice so
that Xen's front-to-back copy writes the index last. Either way, a
reader of the used ring never sees an index ahead of its entries.
Device messages are handled in a work item, not in the VIRQ handler. A
device side that goes away or misbehaves gets every request it held,
and every later one, failed with an I/O error.""",
    },
    {
        'key': 'dma',
        'patterns': ['drivers/virtio/virtio_argo_dma*'],
        'subject': 'virtio: argo: carry buffer contents through DMA ops',
        'body': """\
Xen guests always use the DMA API for virtqueues, so DMA ops on the
transport's platform device see every buffer a driver maps. Turn the
mappings into Argo transfers:

- DMA_TO_DEVICE buffers are sent to the device's data ring at map time;
- DMA_FROM_DEVICE buffers that start on a page and are a multiple of 16
  bytes get a one-shot ring made of a private header page followed by
  the buffer's own pages, registered with rx = tx = 4016, so that Xen
  puts the device's message header in the last 16 bytes of the header
  page and the payload at the buffer's first byte. The ring ends where
  the buffer ends and is unregistered at unmap.
- every other buffer, and every buffer once the ring budget (module
  parameter buffer_rings) is spent, takes a bounce path through the
  driver's data ring and is copied before its used element is applied.

Mapping runs in atomic context: when a ring is full the mapping fails
and the driver retries; nothing spins waiting for space. If Xen's grant
DMA layer puts its own ops on the device while the driver probes (PV
guests of kernels with CONFIG_XEN_VIRTIO), the transport restores its
own before the first mapping: its device side never reads guest memory.
The ops are never left on a device the transport lets go.""",
    },
    {
        'key': 'backend',
        'patterns': ['drivers/virtio/virtio_argo_backend*'],
        'subject': 'virtio: argo: add the device side',
        'body': """\
Add virtio_argo_backend.ko, the device side of virtio-argo, for the
domain that provides devices to guests using the transport. It answers
the guests' control requests, keeps a shadow of their virtqueues from
the available entries and descriptors they send, reads the contents of
driver-written buffers from the messages, writes device-writable
buffers back as Argo messages and reports used buffers, by either used
ring scheme.

Devices are listed in the module's devices= parameter, each served at
its own Argo port: virtio-blk backed by a file or block device,
virtio-rng, virtio-console, and virtio-net bridged to a network device
of the device domain (with CONFIG_NET).""",
    },
    {
        'key': 'other',
        'patterns': None,
        'subject': 'virtio: argo: add the remaining driver files',
        'body': """\
Files of the virtio-argo driver that none of the previous patches
covers.""",
    },
    {
        'key': 'docs',
        'patterns': ['Documentation/*'],
        'subject': 'Documentation: virtio: document virtio over Xen Argo',
        'body': """\
Describe the design of virtio-argo and where it departs from the first
design for it (Xen chooses where each message lands, and a domain has
128 rings), the wire protocol, and the device side: its parameters,
and what it does with each message.""",
    },
    {
        'key': 'tests',
        'patterns': ['tests/*'],
        'subject': 'virtio: argo: add KUnit suites and the Argo self-test module',
        'body': """\
The Argo layer's test cases are written once, against the layer's API,
and run by two runners: the KUnit suite on the simulated hypervisor,
and argo_selftest.ko on the real one (load it with run=1 in a domain
where Xen has Argo enabled; it prints KTAP to the kernel log). The cases
show each fact the driver relies on: rings over pages out of order and
the same page twice, the free slot, wakeups only through notify, one
VIRQ per message, the message size limit, the 128-ring limit and the
slot leaked by every re-registration.

The KUnit suites also cover the ABI layout, the protocol codec, the
guest transport (discovery, every config operation, the DMA ops, both
used ring schemes, devices that fail) against a scripted device or the
real device side, and the device side against hostile drivers, all on
the simulated hypervisor.""",
    },
]

# Where out-of-tree directories go in the tree.
TESTS_DIR = 'drivers/virtio/tests'
DOCS_DIR = 'Documentation/driver-api/virtio/argo'
DOCS_INDEX = 'Documentation/driver-api/virtio/index.rst'
KCONFIG = 'drivers/virtio/Kconfig'
MAINTAINERS_NAME = 'VIRTIO ARGO TRANSPORT AND XEN ARGO LAYER'
# Top-level repo directories that are the project's own even though the
# kernel has a directory of that name.
PROJECT_DIRS = ('scripts', 'build')
# checkpatch's line limit, kept when a path in a comment gets longer.
MAX_LINE = 100


def git(args, cwd, data=None, env=None, quiet=False):
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    res = subprocess.run(['git'] + args, cwd=cwd, input=data, env=full_env,
                         stdout=subprocess.PIPE, check=True,
                         stderr=subprocess.DEVNULL if quiet else None)
    return res.stdout


def die(msg):
    sys.stderr.write('series: %s\n' % msg)
    sys.exit(1)


def is_kbuild_makefile(text):
    return re.search(r'^\s*obj-[^\s=]*\s*[:+]?=', text, re.M) is not None


def is_makefile(p):
    return posixpath.basename(p) in ('Makefile', 'Kbuild')


class Repo:
    def __init__(self, top):
        self.top = top
        out = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], top)
        names = sorted(set(p for p in out.decode().split('\0') if p))
        self.files = [p for p in names if os.path.isfile(os.path.join(top, p))]

    def read(self, path):
        with open(os.path.join(self.top, path), encoding='utf-8') as f:
            return f.read()


def kernel_material(repo, kernel_dirs):
    """Split the repo's files into (kernel material, the project's own).
    Material: the top Kconfig, Documentation/, every tests/ directory
    holding a Kbuild Makefile (a kernel module), and every directory the
    kernel tree also has at its top (drivers/, include/, ...) but
    PROJECT_DIRS. The rest (scripts and test bed, tests that run outside
    the kernel, the out-of-tree build files, README) stays out."""
    kdirs = set()
    for p in repo.files:
        parts = p.split('/')
        if len(parts) == 3 and parts[0] == 'tests' and is_makefile(p) and \
                is_kbuild_makefile(repo.read(p)):
            kdirs.add(parts[1])
    keep, left = [], []
    for p in repo.files:
        parts = p.split('/')
        if p == 'Kconfig':
            keep.append(p)
        elif len(parts) == 1 or parts[0] in PROJECT_DIRS:
            left.append(p)
        elif parts[0] == 'tests':
            (keep if len(parts) > 2 and parts[1] in kdirs else left).append(p)
        elif parts[0] == 'Documentation' or parts[0] in kernel_dirs:
            keep.append(p)
        else:
            left.append(p)
    return keep, left


def dest_path(p):
    parts = p.split('/')
    if p == 'Kconfig':
        return KCONFIG
    if parts[0] == 'tests':
        return posixpath.join(TESTS_DIR, *parts[2:])
    if parts[0] == 'Documentation':
        return posixpath.join(DOCS_DIR, *parts[1:])
    return p


def patch_by_pattern(p):
    for i, patch in enumerate(PATCHES):
        for pat in patch['patterns'] or []:
            if fnmatch.fnmatchcase(p, pat):
                return i
    return CATCH_ALL


CATCH_ALL = next(i for i, patch in enumerate(PATCHES) if patch['patterns'] is None)


# ---------------------------------------------------------------- Makefiles

def logical_lines(text):
    """Yield (paragraph, comment_lines, stmt_lines) for each statement,
    dropping the SPDX line; conditional blocks are one statement, and
    statements not separated by a blank line share a paragraph number."""
    lines = text.split('\n')
    comments = []
    para = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith('# SPDX-License-Identifier'):
            i += 1
            continue
        if not line.strip():
            if comments:
                yield para, comments, []
            comments = []
            para += 1
            i += 1
            continue
        if line.lstrip().startswith('#'):
            comments.append(line)
            i += 1
            continue
        stmt = [line]
        if re.match(r'\s*if(n?eq|n?def)\b', line):
            depth = 1
            while depth and i + 1 < len(lines):
                i += 1
                stmt.append(lines[i])
                if re.match(r'\s*if(n?eq|n?def)\b', lines[i]):
                    depth += 1
                elif re.match(r'\s*endif\b', lines[i]):
                    depth -= 1
        else:
            while stmt[-1].endswith('\\') and i + 1 < len(lines):
                i += 1
                stmt.append(lines[i])
        yield para, comments, stmt
        comments = []
        i += 1


# A test of the tree's sources that sets a -D flag: resolved here, once,
# against the tree the series is for (the sources keep one branch).
FEATURE_TEST = re.compile(
    r"ifneq \(\$\(shell grep -s '([^']*)' \$\(srctree\)/(\S+)\),\)\n"
    r"ccflags-y \+= -D(\w+)\nendif$")


class Makefile:
    """A repo Kbuild Makefile, cut into statements. Kinds: obj (obj-X +=
    targets), comp (the objects of a composite module; cond is the
    CONFIG_ symbol of a conditional line), objvar (a per-object variable
    such as CFLAGS_x.o), flags (ccflags-y without the -I options the
    tree does not need), feature, comment, drop and other."""

    def __init__(self, path, text):
        self.path = path
        self.dir = posixpath.dirname(path)
        self.stmts = []          # dicts: comments, lines, kind, ...
        self.include_dirs = []   # other repo dirs from -I$(src)/...
        for para, comments, lines in logical_lines(text):
            st = self.classify(comments, lines)
            st['para'] = (path, para)
            self.stmts.append(st)

    def classify(self, comments, lines):
        st = {'comments': comments, 'lines': lines, 'kind': 'other'}
        if not lines:
            st['kind'] = 'comment'
            return st
        joined = ' '.join(l.rstrip('\\').strip() for l in lines)
        feature = FEATURE_TEST.match('\n'.join(l.strip() for l in lines))
        m_flags = re.match(r'(subdir-)?ccflags-y\s*[:+]?=\s*(.*)$', joined)
        m_obj = re.match(r'(obj|lib)-(\$\(CONFIG_(\w+)\)|y|m)\s*[:+]?=\s*(.*)$', joined)
        m_objvar = re.match(r'[A-Z][A-Z_]*_([\w-]+\.o)\s*[:+]?=', joined)
        m_comp = re.match(r'([\w.-]+)-(y|objs|\$\(CONFIG_(\w+)\))\s*[:+]?=\s*(.*)$', joined)
        if feature:
            st.update(kind='feature', pattern=feature.group(1),
                      file=feature.group(2), symbol=feature.group(3))
        elif m_flags:
            kept = []
            for w in m_flags.group(2).split():
                mi = re.match(r'-I\$\(src\)(/.*)?$', w)
                d = posixpath.normpath(posixpath.join(self.dir, (mi.group(1) or '.').lstrip('/'))) \
                    if mi else None
                if d is not None and d != self.dir:
                    # Its files move into the tree, #include lines with them.
                    self.include_dirs.append(d)
                else:
                    kept.append(w)
            if kept:
                st['lines'] = ['%s += %s' % (joined.split()[0], ' '.join(kept))]
                st['kind'] = 'flags'
            else:
                st['kind'] = 'drop'
        elif m_obj:
            st.update(kind='obj', symbol=m_obj.group(3), targets=m_obj.group(4).split())
        elif m_objvar:
            st.update(kind='objvar', obj=m_objvar.group(1))
        elif m_comp:
            st.update(kind='comp', name=m_comp.group(1), cond=m_comp.group(3),
                      objs=m_comp.group(4).split())
        return st


def source_of(mk_dir, obj, files):
    base = posixpath.join(mk_dir, obj[:-2])
    for ext in ('.c', '.S', '.rs'):
        if base + ext in files:
            return base + ext
    return None


# ----------------------------------------------------------------- Kconfig

def kconfig_entries(text):
    """[(symbol, text, referenced words, selected symbols, has a prompt)]
    for each config entry; the file's own header comment (about the
    out-of-tree build) is dropped. The words are those of the entry's
    attributes, not of its help."""
    entries = []
    cur = None
    for line in text.split('\n'):
        m = re.match(r'(?:menu)?config\s+(\w+)', line)
        if m:
            cur = [m.group(1), [line]]
            entries.append(cur)
        elif cur is not None:
            cur[1].append(line)
    out = []
    for sym, lines in entries:
        while lines and not lines[-1].strip():
            lines.pop()
        attrs = []
        for line in lines[1:]:
            if re.match(r'\s*(help|---help---)\s*$', line):
                break
            attrs.append(line)
        words = set(re.findall(r'\b[A-Z][A-Z0-9_]*\b', ' '.join(attrs)))
        selects = set(m.group(1) for m in (re.match(r'\s*select\s+(\w+)', l) for l in attrs) if m)
        prompt = any(re.match(r'\s*(bool|tristate|prompt)\s+"', l) for l in attrs)
        out.append((sym, '\n'.join(lines) + '\n', words, selects, prompt))
    return out


# -------------------------------------------------------------- C sources

INCLUDE = re.compile(r'^(#\s*include\s+)([<"])([^>"]+)[>"]', re.M)


def resolve_include(src_path, kind, name, files, include_dirs):
    """The repo file an #include names, or None."""
    cands = []
    if kind == '"':
        cands.append(posixpath.normpath(posixpath.join(posixpath.dirname(src_path), name)))
    cands += [posixpath.normpath(posixpath.join(d, name)) for d in include_dirs]
    cands.append('include/' + name)
    return next((c for c in cands if c in files), None)


def rewrite_includes(src_path, dst, text, files, dest_of, include_dirs):
    """Make #include "..." lines point at the files' places in the tree."""
    dst_dir = posixpath.dirname(dst)

    def fix(m):
        if m.group(2) != '"':
            return m.group(0)
        c = resolve_include(src_path, '"', m.group(3), files, include_dirs)
        if c is None:
            return m.group(0)
        target = dest_of[c]
        if target.startswith('include/'):
            return '%s<%s>' % (m.group(1), target[len('include/'):])
        return '%s"%s"' % (m.group(1), posixpath.relpath(target, dst_dir))
    return INCLUDE.sub(fix, text)


def rewrite_paths(text, moves):
    """Repo paths named in TEXT (comments, documentation) become the
    files' paths in the tree."""
    if not moves:
        return text
    names = '|'.join(re.escape(p) for p in sorted(moves, key=len, reverse=True))
    return re.sub(r'(?<![\w./-])(%s)(?![\w/-])' % names, lambda m: moves[m.group(1)], text)


def wrap_long_comments(text):
    """Split block comment lines that a longer path pushed past MAX_LINE."""
    out = []
    for line in text.split('\n'):
        while len(line.expandtabs(8)) > MAX_LINE:
            m = re.match(r'(\s*\* )(.*)$', line)
            if not m:
                break
            prefix = m.group(1)
            room = MAX_LINE - len(prefix.expandtabs(8))
            cut = m.group(2).rfind(' ', 0, room + 1)
            if cut <= 0:
                break
            out.append(prefix + m.group(2)[:cut])
            line = prefix + m.group(2)[cut + 1:]
        out.append(line)
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser()
    for opt in ('repo', 'tree', 'base', 'branch', 'ident', 'date', 'unifdef',
                'manifest', 'objects', 'cover-template', 'cover'):
        ap.add_argument('--' + opt, required=True)
    ap.add_argument('--set', action='append', default=[], help='KEY=VALUE for the cover')
    args = ap.parse_args()

    def base_blob(path):
        try:
            return git(['show', '%s:%s' % (args.base, path)], args.tree, quiet=True).decode()
        except subprocess.CalledProcessError:
            return None

    repo = Repo(args.repo)
    kernel_dirs = set(git(['ls-tree', '-d', '--name-only', args.base],
                          args.tree).decode().split('\n')) - {''}
    material, left_out = kernel_material(repo, kernel_dirs)
    files = set(material)
    dest_of = {p: dest_path(p) for p in material}
    makefiles = {p: Makefile(p, repo.read(p)) for p in material
                 if is_makefile(p) and is_kbuild_makefile(repo.read(p))}
    sources = [p for p in material if p != 'Kconfig' and p not in makefiles]

    # Two repo files must not land on one path (tests/kunit/x.c and
    # tests/selftest/x.c both go to drivers/virtio/tests/x.c).
    seen = {}
    for p in sources:
        d = dest_of[p]
        if d in seen:
            die('%s and %s would both be %s in the tree' % (seen[d], p, d))
        seen[d] = p

    def include_dirs_of(p):
        mk = makefiles.get(posixpath.join(posixpath.dirname(p), 'Makefile')) or \
            makefiles.get(posixpath.join(posixpath.dirname(p), 'Kbuild'))
        return mk.include_dirs if mk else []

    # Feature tests, evaluated against the tree the series is for: the
    # sources keep only the branch that tree takes (unifdef).
    defines = {}
    for mk in makefiles.values():
        for st in mk.stmts:
            if st['kind'] == 'feature':
                text = base_blob(st['file']) or ''
                defines[st['symbol']] = st['pattern'] in text

    # ------------------------------------------------ files to patches
    patch = {p: patch_by_pattern(p) for p in sources}

    # The objects of each composite module, per Makefile.
    comps_of = {}
    for mpath, mk in makefiles.items():
        comps = {}
        for st in mk.stmts:
            if st['kind'] == 'comp':
                st['srcs'] = [s for s in (source_of(mk.dir, o, files) for o in st['objs']) if s]
                comps.setdefault(st['name'], []).append(st)
        comps_of[mpath] = comps

    # A source no pattern claims goes with the module it is linked into.
    for comps in comps_of.values():
        for stmts in comps.values():
            fixed = [patch[s] for st in stmts if not st['cond'] for s in st['srcs']
                     if patch[s] != CATCH_ALL]
            if fixed:
                for st in stmts:
                    for s in st['srcs']:
                        if patch[s] == CATCH_ALL:
                            patch[s] = max(fixed)

    # A file comes no later than the first patch that includes it.
    includes = {}
    for p in sources:
        if p.endswith(('.c', '.h')):
            includes[p] = set(filter(None, (
                resolve_include(p, m.group(2), m.group(3), files, include_dirs_of(p))
                for m in INCLUDE.finditer(repo.read(p)))))
    changed = True
    while changed:
        changed = False
        for p, deps in includes.items():
            for d in deps:
                if d in patch and patch[d] > patch[p]:
                    patch[d] = patch[p]
                    changed = True

    leftovers = sorted(p for p in sources if patch[p] == CATCH_ALL)
    if leftovers:
        sys.stderr.write('series: note: no pattern in scripts/patches/series.py claims %s: '
                         'they go to "%s"\n' % (' '.join(leftovers), PATCHES[CATCH_ALL]['subject']))

    # ------------------------------------------------ Makefiles, Kconfig
    # First, where each statement's sources are; a Kconfig symbol wants
    # the patch of the last statement it enables.
    kconfig_base = {}

    def want(sym, i):
        if sym:
            kconfig_base[sym] = max(kconfig_base.get(sym, 0), i)

    for mpath, mk in makefiles.items():
        for st in mk.stmts:
            if st['kind'] == 'comp':
                st['base'] = max([patch[s] for s in st['srcs']] or [0])
                want(st['cond'], st['base'])
    for mpath, mk in makefiles.items():
        comps = comps_of[mpath]
        for st in mk.stmts:
            if st['kind'] != 'obj':
                continue
            need = []
            for t in st['targets']:
                if t.endswith('/'):
                    d = posixpath.normpath(posixpath.join(mk.dir, t))
                    sub = [patch[p] for p in sources if p.startswith(d + '/')]
                    if sub:
                        need.append(min(sub))
                elif t.endswith('.o') and t[:-2] in comps:
                    need += [st2['base'] for st2 in comps[t[:-2]] if not st2['cond']]
                elif t.endswith('.o') and source_of(mk.dir, t, files):
                    need.append(patch[source_of(mk.dir, t, files)])
            if not need:
                # Objects from elsewhere: with this directory's last file.
                need = [patch[p] for p in sources if posixpath.dirname(p) == mk.dir] or \
                    [CATCH_ALL]
            st['base'] = max(need)
            want(st['symbol'], st['base'])

    entries = kconfig_entries(repo.read('Kconfig')) if 'Kconfig' in files else []
    ours = set(e[0] for e in entries)
    entry = {}
    for sym, *_ in entries:
        if sym in kconfig_base:
            entry[sym] = kconfig_base[sym]
        else:
            # Only tested in the code: with the first file that tests it.
            users = [patch[p] for p in sources
                     if re.search(r'\bCONFIG_%s\b' % sym, repo.read(p))]
            entry[sym] = min(users) if users else 0
    # An entry comes no earlier than the symbols it depends on or selects.
    changed = True
    while changed:
        changed = False
        for sym, _, words, _, _ in entries:
            need = max([entry[w] for w in words & ours] + [entry[sym]])
            if need != entry[sym]:
                entry[sym] = need
                changed = True

    # Where each symbol can first be enabled: its entry if it has a
    # prompt, else the first entry that selects it.
    enabled = {}
    for sym, _, _, _, prompt in entries:
        if prompt:
            enabled[sym] = entry[sym]
        else:
            enabled[sym] = min([entry[e[0]] for e in entries if sym in e[3]] or [len(PATCHES)])

    appends = [dict() for _ in PATCHES]   # dest -> [text]
    late = [dict() for _ in PATCHES]      # patch -> {later patch: modules}
    objects = []                          # (object in the tree, patch, options)

    def add_append(i, dst, text):
        appends[i].setdefault(dst, []).append(text)

    def built(i, srcs, module, *syms):
        # Compiled once the statement is in and its options can be on.
        when = max([i] + [enabled.get(sym, 0) for sym in syms if sym])
        gate = ','.join(sorted(set(sym for sym in syms if sym))) or '-'
        for s in srcs:
            if when < len(PATCHES):
                objects.append((posixpath.splitext(dest_of[s])[0] + '.o', when, gate))
            if patch[s] < i:
                late[patch[s]].setdefault(i, set()).add(module)

    new_makefiles = {}  # dest Makefile -> first patch that writes it
    for mpath, mk in sorted(makefiles.items()):
        dst_mk = posixpath.join(posixpath.dirname(dest_of[mpath]), 'Makefile')
        comps = comps_of[mpath]
        placed = []       # (patch, stmt)
        obj_patch = {}    # object -> patch of the statement that links it
        module_patch = {}
        for st in mk.stmts:
            if st['kind'] != 'obj':
                continue
            i = max(st['base'], entry.get(st['symbol'], 0))
            placed.append((i, st))
            for t in st['targets']:
                obj_patch[t] = i
                if t.endswith('.o') and t[:-2] in comps:
                    module_patch[t[:-2]] = (i, st['symbol'])
                elif t.endswith('.o') and source_of(mk.dir, t, files):
                    built(i, [source_of(mk.dir, t, files)], t[:-2] + '.ko', st['symbol'])
        for st in mk.stmts:
            if st['kind'] != 'comp':
                continue
            mod_i, mod_sym = module_patch.get(st['name'], (0, None))
            i = max(mod_i, st['base'], entry.get(st['cond'], 0))
            placed.append((i, st))
            for o in st['objs']:
                obj_patch[o] = i
            built(i, st['srcs'], st['name'] + '.ko', mod_sym, st['cond'])
        first = min([i for i, _ in placed] or [patch_by_pattern(mpath)])
        for st in mk.stmts:
            if st['kind'] == 'objvar':
                placed.append((obj_patch.get(st['obj'], first), st))
            elif st['kind'] in ('flags', 'other'):
                placed.append((first, st))
        # Keep the Makefile's own order within a patch, and statements that
        # shared a paragraph together.
        order = {id(st): n for n, st in enumerate(mk.stmts)}
        prev = None
        for i, st in sorted(placed, key=lambda x: (x[0], order[id(x[1])])):
            text = '\n'.join(st['comments'] + st['lines']) + '\n'
            if prev == (i, st['para']):
                appends[i][dst_mk][-1] += text
            else:
                add_append(i, dst_mk, text)
            prev = (i, st['para'])
        if base_blob(dst_mk) is None:
            new_makefiles[dst_mk] = min(first, new_makefiles.get(dst_mk, first))

    # A new directory's Makefile is reached from its parent's: under the
    # one option that gates all of it, or always.
    for dst_mk, first in sorted(new_makefiles.items()):
        d = posixpath.dirname(dst_mk)
        syms = set()
        for mk in makefiles.values():
            if posixpath.join(posixpath.dirname(dest_of[mk.path]), 'Makefile') == dst_mk:
                syms |= set(st['symbol'] for st in mk.stmts if st['kind'] == 'obj')
        cond = '$(CONFIG_%s)' % syms.pop() if len(syms) == 1 and None not in syms else 'y'
        parent = posixpath.join(posixpath.dirname(d), 'Makefile')
        add_append(first, parent, 'obj-%s += %s/\n' % (cond, posixpath.basename(d)))

    moves = moves_of(material, dest_of)
    for sym, text, *_ in entries:
        add_append(entry[sym], KCONFIG, rewrite_paths(text, moves))

    # ------------------------------------------------ file contents
    patch_files = [dict() for _ in PATCHES]
    for p in sources:
        text = repo.read(p)
        dst = dest_of[p]
        if p.endswith(('.c', '.h')):
            text = rewrite_includes(p, dst, text, files, dest_of, include_dirs_of(p))
            for sym, defined in defines.items():
                if re.search(r'\b%s\b' % sym, text):
                    res = subprocess.run([args.unifdef, ('-D' if defined else '-U') + sym],
                                         input=text.encode(), stdout=subprocess.PIPE)
                    if res.returncode not in (0, 1):
                        die('unifdef failed on %s' % p)
                    text = res.stdout.decode()
            text = wrap_long_comments(rewrite_paths(text, moves))
        elif p.endswith('.rst'):
            text = rewrite_paths(text, moves)
        elif posixpath.basename(p) == '.kunitconfig':
            # In the tree, only the options: the comments are about the
            # project's runner.
            text = ''.join(l + '\n' for l in text.split('\n') if l.startswith('CONFIG_'))
        patch_files[patch[p]][dst] = text

    # Documentation: an index for our pages, linked from the virtio one.
    docs = sorted(d for pf in patch_files for d in pf if d.startswith(DOCS_DIR + '/')
                  and d.endswith('.rst'))
    if docs:
        i = min(n for n, pf in enumerate(patch_files) for d in pf if d in docs)
        names = [posixpath.splitext(posixpath.relpath(d, DOCS_DIR))[0] for d in docs]
        names.sort(key=lambda n: (n != 'design', n))
        title = 'Virtio over Xen Argo'
        patch_files[i][DOCS_DIR + '/index.rst'] = (
            '.. SPDX-License-Identifier: GPL-2.0-only\n\n%s\n%s\n%s\n\n'
            '.. toctree::\n   :maxdepth: 1\n\n%s' %
            ('=' * len(title), title, '=' * len(title),
             ''.join('   %s\n' % n for n in names)))
        add_append(i, DOCS_INDEX, '   %s/index\n' % posixpath.basename(DOCS_DIR))

    # ------------------------------------------------------- the commits
    tree = dict()  # dest -> content, for every path changed so far

    def current(path):
        if path not in tree:
            tree[path] = base_blob(path)
        return tree[path]

    m = re.match(r'(.*?)\s*<([^>]+)>$', args.ident)
    if not m:
        die('bad identity "%s"' % args.ident)
    env = {'GIT_AUTHOR_NAME': m.group(1), 'GIT_AUTHOR_EMAIL': m.group(2),
           'GIT_COMMITTER_NAME': m.group(1), 'GIT_COMMITTER_EMAIL': m.group(2),
           'GIT_AUTHOR_DATE': args.date, 'GIT_COMMITTER_DATE': args.date,
           'GIT_INDEX_FILE': os.path.join(args.tree, '.git', 'series-index')}
    git(['read-tree', args.base], args.tree, env=env)
    parent = git(['rev-parse', args.base + '^{commit}'], args.tree).decode().strip()
    manifest = []
    maint_files = []
    number = {}   # patch index -> number in the series
    for i, p in enumerate(PATCHES):
        if patch_files[i] or appends[i]:
            number[i] = len(number) + 1
    for i, patch_def in enumerate(PATCHES):
        changed = dict(patch_files[i])
        for dst, texts in appends[i].items():
            old = changed[dst] if dst in changed else current(dst)
            if dst == DOCS_INDEX:
                # The last toctree entry is the file's last line.
                changed[dst] = old.rstrip('\n') + '\n' + ''.join(texts)
                continue
            if old is None:
                old = '# SPDX-License-Identifier: GPL-2.0-only\n'
            changed[dst] = old.rstrip('\n') + '\n\n' + '\n'.join(texts)
        if not changed:
            continue
        # New files are listed in MAINTAINERS in the patch that adds them.
        new = [d for d in changed if current(d) is None]
        for d in new:
            for dirname in (TESTS_DIR, DOCS_DIR):
                if d.startswith(dirname + '/'):
                    d = dirname + '/'
            if d not in maint_files:
                maint_files.append(d)
        if new:
            changed['MAINTAINERS'] = maintainers(current('MAINTAINERS'), args.ident,
                                                 maint_files)
        for dst, text in sorted(changed.items()):
            sha = git(['hash-object', '-w', '--stdin'], args.tree,
                      data=text.encode()).decode().strip()
            git(['update-index', '--add', '--cacheinfo', '100644,%s,%s' % (sha, dst)],
                args.tree, env=env)
            tree[dst] = text
            manifest.append('%d %s %s' % (number[i], patch_def['key'], dst))
        tree_id = git(['write-tree'], args.tree, env=env).decode().strip()
        body = patch_def['body']
        if i == CATCH_ALL:
            body += '\n\n' + textwrap.fill('Files: %s.' % ', '.join(sorted(patch_files[i])),
                                         width=72, break_on_hyphens=False)
        for j, modules in sorted(late[i].items()):
            body += '\n\n' + textwrap.fill(
                'The Kconfig entry and Makefile lines that build this code come '
                'with the later patch "%s", which completes %s, so that every '
                'commit of the series builds.' % (PATCHES[j]['subject'],
                                                  ' and '.join(sorted(modules))), width=72)
        msg = '%s\n\n%s\n\nSigned-off-by: %s\n' % (patch_def['subject'], body, args.ident)
        parent = git(['commit-tree', tree_id, '-p', parent], args.tree, data=msg.encode(),
                     env=env).decode().strip()
    git(['update-ref', 'refs/heads/' + args.branch, parent], args.tree)
    os.unlink(env['GIT_INDEX_FILE'])

    with open(args.manifest, 'w') as f:
        for p in sorted(material):
            f.write('%s -> %s (patch %s)\n' % (
                p, dest_of[p], number.get(patch[p], '-') if p in patch else 'Kconfig/Makefile'))
        f.write('\nnot in the series (the project\'s own):\n')
        f.write(''.join('  %s\n' % p for p in left_out))
        f.write('\n' + '\n'.join(manifest) + '\n')
    with open(args.objects, 'w') as f:
        for obj, i, gate in sorted(set(objects)):
            f.write('%s %d %s\n' % (obj, number[i], gate))

    # The cover letter: the template with its @KEY@ filled in; the
    # paragraph on feature tests goes when there are none.
    with open(args.cover_template, encoding='utf-8') as f:
        cover = f.read()
    features = []
    for mk in makefiles.values():
        for st in mk.stmts:
            if st['kind'] == 'feature':
                found = defines[st['symbol']]
                features.append(textwrap.fill(
                    "%s: '%s' is %sin %s, so the code keeps its %s branch." % (
                        st['symbol'], st['pattern'], '' if found else 'not ',
                        st['file'], '#ifdef' if found else '#else'),
                    width=72, initial_indent='- ', subsequent_indent='  '))
    if features:
        cover = cover.replace('@FEATURE_TESTS@', '\n'.join(features))
    else:
        cover = re.sub(r'\n\n[^\n]*(?:\n[^\n]+)*\n\n@FEATURE_TESTS@\n', '\n', cover)
    for kv in args.set:
        key, value = kv.split('=', 1)
        cover = cover.replace('@%s@' % key, value)
    left = re.findall(r'@[A-Z_]+@', cover)
    if left:
        die('cover letter: nothing for %s' % ' '.join(left))
    with open(args.cover, 'w', encoding='utf-8') as f:
        f.write(cover)
    print(parent)


def moves_of(material, dest_of):
    """Repo path -> path in the tree, for the files that move, but the
    Kconfig and Makefiles (whose names are common words)."""
    return {p: dest_of[p] for p in material
            if dest_of[p] != p and p != 'Kconfig' and not is_makefile(p)}


def maintainers(text, ident, paths):
    """MAINTAINERS with our entry listing PATHS, in its alphabetical place."""
    entry = [MAINTAINERS_NAME, 'M:\t' + ident,
             'L:\tvirtualization@lists.linux.dev',
             'L:\txen-devel@lists.xenproject.org (moderated for non-subscribers)',
             'S:\tMaintained'] + ['F:\t' + p for p in sorted(paths)]
    lines = text.split('\n')
    if MAINTAINERS_NAME in lines:
        start = lines.index(MAINTAINERS_NAME)
        end = lines.index('', start)
        lines[start:end] = entry
        return '\n'.join(lines)
    # Sections start after the "Maintainers List" heading: a line of
    # capitals followed by a "X:<tab>" line.
    first = next(n for n, l in enumerate(lines) if l.startswith('Maintainers List'))
    for n in range(first, len(lines) - 1):
        if lines[n] and re.match(r'[A-Z]:\t', lines[n + 1]) and not re.match(r'[A-Z]:\t', lines[n]) \
                and lines[n].upper() > MAINTAINERS_NAME and n > 0 and lines[n - 1] == '':
            lines[n:n] = entry + ['']
            return '\n'.join(lines)
    die('no place for our entry in MAINTAINERS')
    return None


if __name__ == '__main__':
    main()
