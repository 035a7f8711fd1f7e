// SPDX-License-Identifier: MIT
#include "framing.h"

#include "yaqerror.h"

#include <QtEndian>

#include <cstring>

namespace Benchtop::Yaq {

namespace Framing {

void appendFrame(QByteArray &out, QByteArrayView payload)
{
    char length[4];
    qToBigEndian(quint32(payload.size()), length);
    out.append(length, 4);
    out.append(payload.data(), payload.size());
}

void appendTerminator(QByteArray &out)
{
    out.append(4, '\0');
}

qsizetype beginFrame(QByteArray &out)
{
    const qsizetype at = out.size();
    out.append(4, '\0');
    return at;
}

void endFrame(QByteArray &out, qsizetype at)
{
    qToBigEndian(quint32(out.size() - at - 4), out.data() + at);
}

} // namespace Framing

namespace {
// Decoded payload is only moved out of the way once it is this large (and at least half of the
// buffer), so that small calls never memmove; a fully decoded buffer is simply reset.
constexpr qsizetype kCompactAfter = 64 * 1024;
} // namespace

FrameReader::FrameReader(const FrameLimits &limits)
    : m_limits(limits)
{
}

void FrameReader::feed(QByteArrayView bytes)
{
    const char *p = bytes.data();
    qsizetype n = bytes.size();
    while (n > 0) {
        if (m_frameLeft > 0) {
            const qsizetype take = qsizetype(std::min<qint64>(m_frameLeft, n));
            if (buffered() + take > m_limits.maxBuffered)
                throw ProtocolError(
                    QStringLiteral("yaq: more than %1 bytes of payload received and not decoded")
                        .arg(m_limits.maxBuffered));
            if (m_pos == m_payload.size()
                || (m_pos > kCompactAfter && m_pos * 2 > m_payload.size())) {
                m_payload.remove(0, m_pos);
                m_dropped += m_pos;
                m_pos = 0;
            }
            m_payload.append(p, take);
            m_frameLeft -= take;
            p += take;
            n -= take;
            continue;
        }
        // The length may itself arrive split across chunks.
        const int copy = int(std::min<qsizetype>(4 - m_headerHave, n));
        std::memcpy(m_header + m_headerHave, p, std::size_t(copy));
        m_headerHave += copy;
        p += copy;
        n -= copy;
        if (m_headerHave < 4)
            break;
        m_headerHave = 0;
        const quint32 length = qFromBigEndian<quint32>(m_header);
        if (length == 0) {
            ++m_emptyFrames;
            // Consecutive empty frames (a null value, then the terminator) are one boundary.
            const qint64 at = absolute(m_payload.size());
            if (m_boundaries.empty() || m_boundaries.back() != at)
                m_boundaries.push_back(at);
        } else if (qint64(length) > m_limits.maxFrame) {
            throw ProtocolError(QStringLiteral("yaq: a frame of %1 bytes exceeds the limit of %2")
                                    .arg(length)
                                    .arg(m_limits.maxFrame));
        } else {
            m_frameLeft = length;
        }
    }
}

std::optional<QVariant> FrameReader::next(const Schema &schema)
{
    ByteReader reader(m_payload.constData() + m_pos, buffered());
    std::optional<QVariant> value = decode(reader, schema, m_limits.codec);
    if (value)
        consumed(m_pos + reader.position());
    return value;
}

std::optional<QByteArray> FrameReader::takeMessage()
{
    if (m_boundaries.empty())
        return std::nullopt;
    const qsizetype end = qsizetype(m_boundaries.front() - m_dropped);
    m_boundaries.pop_front();
    QByteArray message = m_payload.mid(m_pos, end - m_pos);
    consumed(end);
    return message;
}

bool FrameReader::skipToBoundary()
{
    if (m_boundaries.empty())
        return false;
    const qsizetype end = qsizetype(m_boundaries.front() - m_dropped);
    m_boundaries.pop_front();
    consumed(end);
    return true;
}

void FrameReader::consumed(qsizetype upTo)
{
    m_pos = upTo;
    // A boundary exactly here is the end of what was just decoded: keep it for
    // skipToBoundary(); boundaries before are passed.
    while (!m_boundaries.empty() && m_boundaries.front() < absolute(m_pos))
        m_boundaries.pop_front();
    if (m_pos == m_payload.size()) {
        m_dropped += m_pos;
        m_payload.resize(0); // keeps the allocation for the next message
        m_pos = 0;
    }
}

} // namespace Benchtop::Yaq
