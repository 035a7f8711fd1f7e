// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QtGlobal>

namespace Benchtop::Modbus {

/// Where one value (or one digital line) lives: its first address and how many consecutive
/// addresses it takes (1 or 2 registers, 1 bit).
struct AddressRange {
    quint16 address = 0;
    int count = 1;
};

/// Consecutive addresses fetched with one read request.
struct ReadBlock {
    quint16 start = 0;
    int count = 0;
    /// Indices into the ranges given to groupContiguous(), in address order.
    QList<int> members;

    bool operator==(const ReadBlock &) const = default;
};

/// Groups `ranges` (of one table) into as few reads as possible without reading any address
/// that no range needs: ranges that touch or overlap share a block, up to `maxCount` addresses
/// per block (Modbus allows 125 registers or 2000 bits in one read). Reading across a gap is
/// avoided on purpose: in a sparse map the gap may hold no register, and the whole read would
/// be refused with "illegal data address". A range longer than `maxCount` gets a block of its
/// own. Pure; the order of `ranges` does not matter.
QList<ReadBlock> groupContiguous(const QList<AddressRange> &ranges, int maxCount);

} // namespace Benchtop::Modbus
