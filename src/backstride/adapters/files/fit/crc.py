"""CRC-16 of FIT files (FIT / CRC-16/ARC: reflected polynomial 0xA001, initial value 0)."""

from __future__ import annotations

import functools
from typing import Final

import numpy as np
import numpy.typing as npt

# The FIT polynomial x^16 + x^15 + x^2 + 1 = (x + 1)(x^15 + x + 1), and x^15 + x + 1 is
# primitive, so x has order 2^15 - 1 modulo it: feeding 32767 zero *bits* maps every CRC
# state to itself, hence so does feeding 32767 zero *bytes* (8 x 32767 bits).
_CRC_PERIOD: Final = 32767


def _crc_bitwise(data: bytes, crc: int = 0) -> int:
    """Bit-by-bit CRC-16/ARC (reflected polynomial 0xA001, initial value 0)."""
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


_CRC_BYTE_TABLE: Final = tuple(_crc_bitwise(bytes([b])) for b in range(256))


def _crc_scalar(data: bytes | memoryview | npt.NDArray[np.uint8], crc: int = 0) -> int:
    """Byte-table CRC-16/ARC, for short inputs and for building the tables."""
    table = _CRC_BYTE_TABLE
    for b in bytes(data):
        crc = (crc >> 8) ^ table[(crc ^ b) & 0xFF]
    return crc


def _crc_zero_feed(state: int, n_bytes: int) -> int:
    """Feed ``n_bytes`` zero bytes into ``state`` by repeated squaring of the 1-byte map."""

    def apply(m: list[int], v: int) -> int:
        out = 0
        bit = 0
        while v:
            if v & 1:
                out ^= m[bit]
            v >>= 1
            bit += 1
        return out

    power = [_crc_scalar(b"\x00", 1 << bit) for bit in range(16)]  # the 1-byte map
    result = state
    n = n_bytes
    while n:
        if n & 1:
            result = apply(power, result)
        n >>= 1
        if n:
            power = [apply(power, c) for c in power]
    return result


@functools.cache
def _crc_masks() -> npt.NDArray[np.uint64]:
    """Parity masks of a 32767-byte block: CRC bit k = parity(block & masks[k]).

    The CRC (initial value 0) is linear: byte ``i`` of value ``1 << j`` in a block of
    ``L`` bytes contributes ``Z^(L-1-i)(crc(1 << j))``, where ``Z`` feeds one zero byte.
    The contributions for all distances are built by doubling.
    """
    seq = np.array([[_crc_scalar(bytes([1 << j])) for j in range(8)]], dtype=np.int64)
    step = 1
    while seq.shape[0] < _CRC_PERIOD:
        cols = [_crc_zero_feed(1 << bit, step) for bit in range(16)]
        shifted = np.zeros_like(seq)
        for bit, col in enumerate(cols):
            shifted ^= ((seq >> bit) & 1) * col
        seq = np.concatenate([seq, shifted])
        step *= 2
    contrib = seq[:_CRC_PERIOD][::-1]  # contrib[i, j]: bit j of byte i
    masks = np.zeros((16, _CRC_PERIOD + 1), dtype=np.uint8)
    weights = (1 << np.arange(8)).astype(np.int64)
    for k in range(16):
        masks[k, :_CRC_PERIOD] = (((contrib >> k) & 1) * weights).sum(axis=1)
    return masks.view(np.uint64)


def compute_fit_crc(data: bytes | memoryview) -> int:
    """The FIT CRC-16 of ``data`` (CRC-16/ARC, as the FIT SDK's ``CrcCalculator``).

    Vectorised and independent of the length: the bytes are cut into 32767-byte blocks
    aligned to the end (the first one zero-padded in front, which does not change a CRC
    that starts at 0). Feeding 32767 zero bytes leaves a CRC state unchanged (see
    ``_CRC_PERIOD``), so the CRC of the whole equals the CRC of the XOR of all blocks,
    and that one block's CRC is 16 parities against precomputed masks.
    """
    n = len(data)
    if n <= 16:
        return _crc_scalar(data)
    u8 = np.frombuffer(data, dtype=np.uint8)
    masks = _crc_masks()
    if n < _CRC_PERIOD:
        # Only the last n bytes of the block are non-zero: use the masks from the last
        # 8-byte boundary before them on.
        skip = (_CRC_PERIOD - n) // 8
        block = np.zeros(_CRC_PERIOD + 1 - 8 * skip, dtype=np.uint8)
        block[block.size - 1 - n : block.size - 1] = u8
        folded = masks[:, skip:] & block.view(np.uint64)
        parities = np.bitwise_xor.reduce(folded, axis=1).tolist()
    else:
        head = n % _CRC_PERIOD
        block = np.zeros(_CRC_PERIOD + 1, dtype=np.uint8)
        block[:_CRC_PERIOD] = np.bitwise_xor.reduce(u8[head:].reshape(-1, _CRC_PERIOD), axis=0)
        if head:
            block[_CRC_PERIOD - head : _CRC_PERIOD] ^= u8[:head]
        parities = np.bitwise_xor.reduce(masks & block.view(np.uint64), axis=1).tolist()
    crc = 0
    for k, word in enumerate(parities):
        crc |= (int(word).bit_count() & 1) << k
    return crc
