// SPDX-License-Identifier: MIT
#pragma once

#include "avrocodec.h"

#include <QByteArray>
#include <QByteArrayView>

#include <deque>
#include <optional>

namespace Benchtop::Yaq {

/// Avro IPC framing (what yaq speaks): a frame is a 4-byte big-endian length, then that many
/// bytes; a zero-length frame ends a message.
namespace Framing {

/// Appends one frame holding `payload`.
void appendFrame(QByteArray &out, QByteArrayView payload);
/// Appends the zero-length frame that ends a message.
void appendTerminator(QByteArray &out);
/// Starts a frame whose payload is appended next (no temporary buffer); returns where its
/// length goes, for endFrame().
qsizetype beginFrame(QByteArray &out);
/// Writes the length of the frame begun at `at`, now that its payload is in `out`.
void endFrame(QByteArray &out, qsizetype at);

} // namespace Framing

/// Bounds on what a FrameReader buffers for the peer.
struct FrameLimits {
    /// The largest frame. The reference sends a whole value per frame, so this bounds a value.
    qsizetype maxFrame = 16 * 1024 * 1024;
    /// The most payload held at once, not yet decoded: bounds a message whose frames are each
    /// small, and a value that is announced but never completed.
    qsizetype maxBuffered = 16 * 1024 * 1024;
    CodecLimits codec;
};

/// Reassembles frames from bytes received in chunks split anywhere (inside a length, inside a
/// payload) into one stream of payload bytes, from which a higher layer decodes, value by
/// value, what it expects next: the reference peers decode across frame boundaries and treat
/// empty frames as no-ops, and so must we (a null response is an empty frame followed by the
/// empty terminator; a handshake is followed by a call in the same send). Zero-length frames
/// are also remembered as message boundaries, for takeMessage() and skipToBoundary().
///
/// Nothing is allocated for an announced length: only bytes that arrived are buffered, and
/// going past FrameLimits throws ProtocolError. After a ProtocolError the stream cannot be
/// trusted; drop the connection. Not thread-safe; use from one thread.
class FrameReader {
public:
    explicit FrameReader(const FrameLimits &limits = {});

    /// Adds received bytes. Throws ProtocolError for a frame over the limit or when more than
    /// maxBuffered payload bytes would wait undecoded.
    void feed(QByteArrayView bytes);

    /// Decodes the next value of `schema` from the payload stream: the value, or nothing when
    /// it is not all here yet (the stream is then left as it was). Throws ProtocolError when
    /// the bytes cannot be one (see decode()).
    std::optional<QVariant> next(const Schema &schema);

    /// The payload up to the next zero-length frame (a whole message for a peer that sends
    /// one terminated message at a time), or nothing when no zero-length frame has arrived
    /// since. yaq peers are read with next() instead: see the class comment.
    std::optional<QByteArray> takeMessage();

    /// Drops the payload up to the next zero-length frame after the current position (to skip
    /// the parameters of a call that cannot be decoded). Returns false, dropping nothing, when
    /// that frame has not arrived yet.
    bool skipToBoundary();

    /// Payload bytes received and not yet decoded.
    qsizetype buffered() const { return m_payload.size() - m_pos; }
    /// True between frames with no payload waiting: the peer sent whole values so far.
    bool idle() const { return buffered() == 0 && m_frameLeft == 0 && m_headerHave == 0; }
    /// Zero-length frames received in all (statistics and tests).
    qint64 emptyFrames() const { return m_emptyFrames; }

    const FrameLimits &limits() const { return m_limits; }

private:
    void consumed(qsizetype upTo);
    qint64 absolute(qsizetype offset) const { return m_dropped + offset; }

    FrameLimits m_limits;
    QByteArray m_payload; // payload bytes; [m_pos, size) not yet decoded
    qsizetype m_pos = 0;
    qint64 m_dropped = 0; // payload bytes dropped from the front of m_payload, in all
    qint64 m_frameLeft = 0; // payload bytes of the current frame still to come
    char m_header[4] = {};
    int m_headerHave = 0;
    qint64 m_emptyFrames = 0;
    std::deque<qint64> m_boundaries; // absolute payload offsets of zero-length frames
};

} // namespace Benchtop::Yaq
