// SPDX-License-Identifier: MIT
#include "run/csvwriter.h"

#include "run/writeerror.h"

#include <QDateTime>
#include <QLocale>

#include <cmath>

namespace Benchtop::Run {

namespace {

void appendField(QByteArray &line, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    if (utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r')) {
        line.append('"');
        line.append(QByteArray(utf8).replace("\"", "\"\""));
        line.append('"');
    } else {
        line.append(utf8);
    }
}

void appendNumber(QByteArray &line, double x)
{
    if (std::isfinite(x))
        line.append(QByteArray::number(x, 'g', QLocale::FloatingPointShortest));
    else if (std::isnan(x))
        line.append("nan");
    else
        line.append(x > 0 ? "inf" : "-inf");
}

} // namespace

CsvWriter::CsvWriter(const QString &path, Mode mode)
    : m_file(path)
    , m_mode(mode)
{
    const auto flags = mode == Mode::Create ? QIODevice::WriteOnly | QIODevice::NewOnly
                                            : QIODevice::WriteOnly | QIODevice::Append;
    if (!m_file.open(flags))
        throw WriteError(QStringLiteral("%1: could not open: %2").arg(path, m_file.errorString()));
}

void CsvWriter::add(const Document &document)
{
    if (const auto *event = std::get_if<Event>(&document)) {
        if (event->descriptor != m_primary)
            return;
        m_buffer.append(QByteArray::number(event->seqNum));
        m_buffer.append(',');
        m_buffer.append(QByteArray::number(event->time, 'f', 6));
        for (size_t c = 0; c < m_columns.size(); ++c) {
            m_buffer.append(',');
            const size_t index = size_t(m_columns[c]);
            if (index >= event->data.size())
                continue;
            const QVariant &value = event->data[index];
            if (!value.isValid())
                continue;
            if (m_strings[c])
                appendField(m_buffer, value.toString());
            else if (value.metaType().id() == QMetaType::Bool)
                m_buffer.append(value.toBool() ? '1' : '0');
            else if (value.metaType().id() == QMetaType::LongLong
                || value.metaType().id() == QMetaType::Int)
                m_buffer.append(QByteArray::number(value.toLongLong()));
            else
                appendNumber(m_buffer, value.toDouble());
        }
        m_buffer.append('\n');
    } else if (const auto *start = std::get_if<RunStart>(&document)) {
        m_start = *start;
    } else if (const auto *descriptor = std::get_if<Descriptor>(&document)) {
        if (descriptor->name == QLatin1String("primary") && m_primary.isEmpty())
            header(*descriptor);
    } else if (std::holds_alternative<RunStop>(document)) {
        close();
    }
}

void CsvWriter::header(const Descriptor &primary)
{
    m_primary = primary.uid;
    QStringList names{QStringLiteral("seq_num"), QStringLiteral("time")};
    QStringList units{QString(), QStringLiteral("s")};
    for (int i = 0; i < primary.dataKeys.size(); ++i) {
        const DataKey &key = primary.dataKeys[i];
        if (key.dtype == QLatin1String("array"))
            continue;
        m_columns.push_back(i);
        m_strings.push_back(key.dtype == QLatin1String("string"));
        names.append(key.name);
        units.append(key.units);
    }
    if (m_mode == Mode::Continue)
        return;
    QByteArray text;
    auto comment = [&text](const QString &line) {
        text.append("# ");
        text.append(line.toUtf8());
        text.append('\n');
    };
    if (m_start) {
        comment(QStringLiteral("%1 %2 run %3, scan_id %4, %5")
                    .arg(m_start->program, m_start->programVersion, m_start->uid)
                    .arg(m_start->scanId)
                    .arg(m_start->planKind));
        comment(QStringLiteral("start_time: %1")
                    .arg(QDateTime::fromMSecsSinceEpoch(
                        qint64(std::llround(m_start->time * 1000)), Qt::UTC)
                             .toString(Qt::ISODateWithMs)));
        for (auto it = m_start->metadata.cbegin(); it != m_start->metadata.cend(); ++it)
            comment(QStringLiteral("metadata.%1: %2").arg(it.key(), it.value().toString()));
        comment(QStringLiteral("lab: %1").arg(m_start->labPath));
        comment(QStringLiteral("plan: %1").arg(m_start->planPath));
        // The plan text, each line behind "# plan | ", so that it can be cut back out verbatim.
        const QList<QByteArray> lines = m_start->planText.split('\n');
        for (qsizetype i = 0; i < lines.size(); ++i) {
            if (i == lines.size() - 1 && lines[i].isEmpty())
                break;
            text.append("# plan | ");
            text.append(lines[i]);
            text.append('\n');
        }
    }
    comment(QStringLiteral("units: ") + units.join(QLatin1Char(',')));
    QByteArray columns;
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (i > 0)
            columns.append(',');
        appendField(columns, names[i]);
    }
    text.append(columns);
    text.append('\n');
    m_buffer.prepend(text);
}

void CsvWriter::flush()
{
    if (m_buffer.isEmpty() || !m_file.isOpen())
        return;
    writeAndFlush(m_file, m_buffer);
    m_buffer.clear();
}

void CsvWriter::close()
{
    if (!m_file.isOpen())
        return;
    flush();
    m_file.close();
}

} // namespace Benchtop::Run
