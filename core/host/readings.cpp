// SPDX-License-Identifier: MIT
#include "readings.h"

#include <limits>

namespace Benchtop {

Readings::Readings(const DeviceDescription &description)
{
    for (const PropertyInfo &property : description.properties) {
        if (property.type != ValueType::Double && property.type != ValueType::Int)
            continue;
        if (m_keys.contains(property.stateKey))
            continue;
        m_keys.append(property.stateKey);
        const qsizetype slash = property.stateKey.indexOf(QLatin1Char('/'));
        m_paths.append(slash < 0 ? std::pair(property.stateKey, QString())
                                 : std::pair(property.stateKey.left(slash),
                                     property.stateKey.mid(slash + 1)));
    }
}

bool Readings::append(Clock::time_point at, const DeviceSnapshot &snapshot)
{
    if (m_hasLast && snapshot.sequence == m_lastSequence)
        return false;
    m_hasLast = true;
    m_lastSequence = snapshot.sequence;
    m_at.push_back(at);
    m_sequence.push_back(snapshot.sequence);
    m_states.push_back({snapshot.link, snapshot.status});
    for (const auto &[top, nested] : std::as_const(m_paths)) {
        double value = std::numeric_limits<double>::quiet_NaN();
        const auto it = snapshot.values.constFind(top);
        if (it != snapshot.values.constEnd()) {
            bool isNumber = false;
            const double found = nested.isEmpty()
                ? it->toDouble(&isNumber)
                : it->toMap().value(nested).toDouble(&isNumber);
            if (isNumber)
                value = found;
        }
        m_values.push_back(value);
    }
    return true;
}

void Readings::dropOldest(qsizetype n)
{
    const auto rows = std::size_t(std::min(n, count()));
    m_at.erase(m_at.begin(), m_at.begin() + std::ptrdiff_t(rows));
    m_sequence.erase(m_sequence.begin(), m_sequence.begin() + std::ptrdiff_t(rows));
    m_states.erase(m_states.begin(), m_states.begin() + std::ptrdiff_t(rows));
    m_values.erase(
        m_values.begin(), m_values.begin() + std::ptrdiff_t(rows * std::size_t(m_keys.size())));
}

Readings Readings::takeRows()
{
    Readings rows;
    rows.m_keys = m_keys;
    rows.m_paths = m_paths;
    rows.m_at.swap(m_at);
    rows.m_sequence.swap(m_sequence);
    rows.m_states.swap(m_states);
    rows.m_values.swap(m_values);
    rows.m_lastSequence = m_lastSequence;
    rows.m_hasLast = m_hasLast;
    return rows;
}

} // namespace Benchtop
