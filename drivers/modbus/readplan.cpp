// SPDX-License-Identifier: MIT
#include "readplan.h"

#include <algorithm>
#include <numeric>

namespace Benchtop::Modbus {

QList<ReadBlock> groupContiguous(const QList<AddressRange> &ranges, int maxCount)
{
    QList<int> order(ranges.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
        [&](int a, int b) { return ranges[a].address < ranges[b].address; });

    QList<ReadBlock> blocks;
    int end = 0; // one past the last address of the last block
    for (const int index : std::as_const(order)) {
        const AddressRange &range = ranges[index];
        const int rangeEnd = range.address + range.count;
        if (!blocks.isEmpty()) {
            ReadBlock &last = blocks.last();
            const int newEnd = std::max(end, rangeEnd);
            if (range.address <= end && newEnd - last.start <= maxCount) {
                last.count = newEnd - last.start;
                last.members << index;
                end = newEnd;
                continue;
            }
        }
        blocks << ReadBlock{range.address, range.count, {index}};
        end = rangeEnd;
    }
    return blocks;
}

} // namespace Benchtop::Modbus
