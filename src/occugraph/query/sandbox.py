"""A process that cannot reach the network, for code that runs Oxigraph on text from outside.

SERVICE and LOAD would make Oxigraph fetch any URL (pyoxigraph ships an HTTP client), and
no scan of the query text can match its parser in every spelling. So each query worker,
and each process that runs an update, first installs a seccomp filter that refuses to
open Internet sockets (Linux on x86-64 and AArch64).
"""

from __future__ import annotations

import ctypes
import errno
import multiprocessing
import platform
import socket
import struct
import sys
from concurrent.futures import ProcessPoolExecutor

# seccomp (https://www.kernel.org/doc/html/latest/userspace-api/seccomp_filter.html): a
# classic BPF program over struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6]}.
# Per machine: the audit architecture and the number of socket(2).
_SECCOMP_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
_X32_SYSCALL_BIT = 0x40000000
_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def forbid_network() -> bool:
    """Make this process unable to open IPv4 and IPv6 sockets, for good (children too).

    Unix sockets and pipes still work, so a worker still talks to the server. Returns
    False where seccomp is not available; the keyword checks are then the only guard.
    """
    known = _SECCOMP_ARCH.get(platform.machine())
    if not sys.platform.startswith("linux") or known is None:
        return False
    arch, socket_call = known
    refuse = _ERRNO | errno.EACCES

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    program = [
        op(_LD_ABS, 4),  # arch
        op(_JEQ, arch, 1, 0),
        op(_RET, refuse),  # another ABI (i386 on x86-64): nothing at all
        op(_LD_ABS, 0),  # syscall number
        op(_JGE, _X32_SYSCALL_BIT, 5, 0),  # x32 calls: refused
        op(_JEQ, socket_call, 1, 0),
        op(_RET, _ALLOW),
        op(_LD_ABS, 16),  # socket(domain, ...): low half of the first argument
        op(_JEQ, socket.AF_INET, 1, 0),
        op(_JEQ, socket.AF_INET6, 0, 1),
        op(_RET, refuse),
        op(_RET, _ALLOW),
    ]
    code = b"".join(program)
    libc = ctypes.CDLL(None, use_errno=True)
    filter_program = _Program(len(program), code)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return bool(
        libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(filter_program), 0, 0) == 0
    )


def sandboxed_executor() -> ProcessPoolExecutor:
    """One process, started on first use, that cannot open network sockets: for updates,
    which run Oxigraph on text from outside as queries do."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(1, mp_context=context, initializer=forbid_network)
