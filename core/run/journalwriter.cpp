// SPDX-License-Identifier: MIT
#include "run/journalwriter.h"

#include "run/documentjson.h"
#include "run/writeerror.h"

namespace Benchtop::Run {

JournalWriter::JournalWriter(const QString &path, Mode mode)
    : m_file(path)
    , m_mode(mode)
{
    const auto flags = mode == Mode::Create ? QIODevice::WriteOnly | QIODevice::NewOnly
                                            : QIODevice::WriteOnly | QIODevice::Append;
    if (!m_file.open(flags))
        throw WriteError(QStringLiteral("%1: could not open: %2").arg(path, m_file.errorString()));
}

void JournalWriter::add(const Document &document)
{
    if (m_mode == Mode::Continue
        && (std::holds_alternative<RunStart>(document)
            || std::holds_alternative<Descriptor>(document)))
        return;
    m_buffer.append(documentToJsonLine(document));
    if (std::holds_alternative<RunStop>(document))
        close();
}

void JournalWriter::flush()
{
    if (m_buffer.isEmpty() || !m_file.isOpen())
        return;
    writeAndFlush(m_file, m_buffer);
    m_buffer.clear();
}

void JournalWriter::close()
{
    if (!m_file.isOpen())
        return;
    flush();
    m_file.close();
}

} // namespace Benchtop::Run
