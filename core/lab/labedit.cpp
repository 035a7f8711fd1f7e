// SPDX-License-Identifier: MIT
#include "labedit.h"

#include "labwriter.h"
#include "tomlsupport_p.h"
#include "tomlwriter.h"

#include <QHash>
#include <QStringList>

#include <algorithm>
#include <string_view>

namespace Benchtop {

namespace {

const QString kDriverKey = QStringLiteral("driver");
const QString kPortKey = QStringLiteral("port");

QString fromUtf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// One line of the text, and how it ended ("\n", "\r\n", or nothing for a last line without
/// one): kept apart so that every line that is not edited is written back to the byte.
struct Line {
    QString text;
    QString eol;
};

bool isBlank(const Line &line)
{
    return line.text.trimmed().isEmpty();
}

bool isComment(const Line &line)
{
    return line.text.trimmed().startsWith(QLatin1Char('#'));
}

/// Where toml++'s (1-based) `column` starts in `line`: it counts code points, a QString UTF-16
/// units.
qsizetype indexOfColumn(const QString &line, int column)
{
    qsizetype index = 0;
    for (int c = 1; c < column && index < line.size(); ++c)
        index += line.at(index).isHighSurrogate() && index + 1 < line.size() ? 2 : 1;
    return index;
}

int line(const toml::source_position &position)
{
    return static_cast<int>(position.line);
}

/// The last line `node`'s text reaches: a table's header region is its header alone, so its
/// keys and sub-tables are looked into.
int lastLineOf(const toml::node &node)
{
    int last = line(node.source().end);
    if (const toml::table *table = node.as_table()) {
        for (const auto &[key, value] : *table)
            last = std::max({last, line(key.source().end), lastLineOf(value)});
    } else if (const toml::array *array = node.as_array()) {
        for (const toml::node &element : *array)
            last = std::max(last, lastLineOf(element));
    }
    return last;
}

/// Whether `node` is written where its key is (`key = value`), so that its value can be replaced
/// there: not a `[a.b]` sub-table, not a table of dotted keys, not an array of `[[a.b]]` tables.
bool writtenInline(const toml::node &node)
{
    if (const toml::table *table = node.as_table())
        return table->is_inline();
    if (const toml::array *array = node.as_array()) {
        return std::all_of(array->cbegin(), array->cend(), [](const toml::node &element) {
            return !element.is_table() || element.as_table()->is_inline();
        });
    }
    return true;
}

/// The edits of a text, line by line, applied when the text is asked for. Lines are 1-based, as
/// toml++ counts them.
class Edits {
public:
    explicit Edits(const QByteArray &text)
    {
        const QString all = QString::fromUtf8(text);
        qsizetype start = 0;
        while (start < all.size()) {
            const qsizetype newline = all.indexOf(QLatin1Char('\n'), start);
            if (newline < 0) {
                m_lines.append({all.mid(start), QString()});
                break;
            }
            const bool crlf = newline > start && all.at(newline - 1) == QLatin1Char('\r');
            const qsizetype end = crlf ? newline - 1 : newline;
            m_lines.append({all.mid(start, end - start), all.mid(end, newline + 1 - end)});
            start = newline + 1;
        }
        // New lines end as the file's first line does.
        if (!m_lines.isEmpty() && !m_lines.first().eol.isEmpty())
            m_eol = m_lines.first().eol;
        m_removed.fill(false, m_lines.size() + 1);
    }

    int lineCount() const { return static_cast<int>(m_lines.size()); }
    const Line &at(int line) const { return m_lines.at(line - 1); }

    /// Replaces the text of `region` (its end is one past its last character).
    void replace(const toml::source_region &region, const QString &text)
    {
        const int first = line(region.begin);
        const int last = line(region.end);
        const Line &a = at(first);
        const Line &b = at(last);
        const int beginColumn = static_cast<int>(region.begin.column);
        const int endColumn = static_cast<int>(region.end.column);
        m_replaced.insert(first,
            {a.text.left(indexOfColumn(a.text, beginColumn)) + text
                    + b.text.mid(indexOfColumn(b.text, endColumn)),
                b.eol});
        removeLines(first + 1, last);
    }
    void removeLines(int first, int last)
    {
        for (int n = first; n <= last; ++n)
            m_removed[n] = true;
    }
    /// Inserted lines follow `line` in the order they were inserted, even when it is removed.
    void insertAfter(int line, const QString &text) { m_inserted[line] << text; }
    /// Lines written after the rest, after an empty line.
    void append(const QStringList &lines) { m_appended << lines; }
    /// Empty lines at the end of what is kept go: what followed them was removed.
    void trimEnd() { m_trimEnd = true; }

    QByteArray text() const
    {
        QList<Line> out;
        const auto add = [&](const Line &line) {
            if (!out.isEmpty() && out.last().eol.isEmpty())
                out.last().eol = m_eol;
            out << line;
        };
        for (int n = 1; n <= lineCount(); ++n) {
            if (!m_removed.at(n))
                add(m_replaced.value(n, at(n)));
            for (const QString &inserted : m_inserted.value(n))
                add({inserted, m_eol});
        }
        if (m_trimEnd) {
            while (!out.isEmpty() && isBlank(out.last()))
                out.removeLast();
        }
        for (const QStringList &lines : m_appended) {
            if (!out.isEmpty())
                add({QString(), m_eol});
            for (const QString &appended : lines)
                add({appended, m_eol});
        }
        QString joined;
        for (const Line &line : std::as_const(out))
            joined += line.text + line.eol;
        return joined.toUtf8();
    }

private:
    QList<Line> m_lines;
    QString m_eol = QStringLiteral("\n");
    QList<bool> m_removed; ///< by line number
    QHash<int, Line> m_replaced;
    QHash<int, QStringList> m_inserted;
    QList<QStringList> m_appended;
    bool m_trimEnd = false;
};

/// One key of the top-level table: a device's table, `[benchtop]`, or anything else.
struct Entry {
    QString name;
    const toml::node *node = nullptr;
    int first = 0; ///< its header's line, or its key's for `name = ...`
    int last = 0; ///< the last line of its text
    int lead = 0; ///< the first of the comment lines just above it (first when none)
    int end = 0; ///< the line before the next entry's lead (the last line for the last entry)
};

/// Edits the changed table `entry`, which read as `was`, so that it holds `now`. False when a
/// changed key is not written inline (see writtenInline).
bool editTable(Edits &edits, const Entry &entry, const DeviceSettings &was,
    const DeviceSettings &now, const DriverLookup &driverFor)
{
    const toml::table *table = entry.node->as_table();
    if (!table)
        return false;
    if (table->is_inline()) {
        edits.replace(entry.node->source(),
            QLatin1String("{ ") + labTableLines(now, driverFor).join(QLatin1String(", "))
                + QLatin1String(" }"));
        return true;
    }

    struct Key {
        toml::source_region key;
        const toml::node *value;
    };
    QHash<QString, Key> keys;
    int lastKeyLine = entry.first;
    for (const auto &[key, value] : *table) {
        keys.insert(fromUtf8(key.str()), {key.source(), &value});
        if (writtenInline(value))
            lastKeyLine = std::max(lastKeyLine, lastLineOf(value));
    }
    // An invalid `value` removes the key.
    const auto setValue = [&](const QString &key, const QVariant &value, int after) {
        const auto it = keys.constFind(key);
        if (it == keys.cend()) {
            // A value without a TOML form is left out, as labText does.
            if (const QString text = tomlLine(key, value); value.isValid() && !text.isEmpty())
                edits.insertAfter(after, text);
            return true;
        }
        if (!writtenInline(*it->value))
            return false;
        if (!value.isValid()) {
            edits.removeLines(line(it->key.begin), lastLineOf(*it->value));
            return true;
        }
        const QString text = tomlValue(value);
        if (text.isEmpty())
            return false;
        edits.replace(it->value->source(), text);
        return true;
    };

    if (was.kind != now.kind && !setValue(kDriverKey, now.kind, entry.first))
        return false;
    if (was.port != now.port) {
        const auto driver = keys.constFind(kDriverKey);
        const int after = driver == keys.cend() ? entry.first : lastLineOf(*driver->value);
        if (!setValue(kPortKey, now.port != 0 ? QVariant(now.port) : QVariant(), after))
            return false;
    }

    const std::optional<DriverInfo> info
        = driverFor ? driverFor(now.kind) : std::optional<DriverInfo>();
    QStringList names = was.config.keys() + now.config.keys();
    names.removeDuplicates();
    names.sort(); // as labText writes them
    for (const QString &key : std::as_const(names)) {
        const ConfigField *field = info ? info->field(key) : nullptr;
        const QVariant fallback = field ? field->defaultValue : QVariant();
        const QVariant value = now.config.value(key, fallback);
        if (sameLabValue(was.config.value(key, fallback), value))
            continue;
        // A default the file does not say need not be said now.
        if (!keys.contains(key) && field && !field->required()
            && sameLabValue(field->defaultValue, value))
            continue;
        if (!setValue(key, value, lastKeyLine))
            return false;
    }
    return true;
}

} // namespace

std::optional<QByteArray> editedLabText(const QByteArray &original,
    const QList<DeviceSettings> &before, const QList<DeviceSettings> &after,
    const DriverLookup &driverFor)
{
    TomlSupport::SyntaxError syntaxError;
    const std::optional<toml::table> root = TomlSupport::parse(original, &syntaxError);
    if (!root)
        return std::nullopt;
    Edits edits(original);

    QList<Entry> entries;
    for (const auto &[key, node] : *root) {
        Entry entry;
        entry.name = fromUtf8(key.str());
        entry.node = &node;
        const toml::table *table = node.as_table();
        if (node.is_array() && !writtenInline(node))
            return std::nullopt; // `[[name]]`: not a lab's, and its lines are hard to tell
        entry.first
            = table && !table->is_inline() ? line(node.source().begin) : line(key.source().begin);
        entry.last = std::max(line(key.source().end), lastLineOf(node));
        if (entry.first <= 0 || entry.last < entry.first || entry.last > edits.lineCount())
            return std::nullopt;
        entries << entry;
    }
    // toml++ keeps keys sorted; the text has them in its own order.
    std::sort(entries.begin(), entries.end(),
        [](const Entry &a, const Entry &b) { return a.first < b.first; });
    for (qsizetype i = 0; i < entries.size(); ++i) {
        Entry &entry = entries[i];
        const int previousLast = i > 0 ? entries.at(i - 1).last : 0;
        if (entry.first <= previousLast)
            return std::nullopt; // `[a]`, `[b]`, `[a.sub]`: a's lines are not one block
        entry.lead = entry.first;
        while (entry.lead - 1 > previousLast && isComment(edits.at(entry.lead - 1)))
            --entry.lead;
    }
    QHash<QString, qsizetype> entryIndex;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        entries[i].end = i + 1 < entries.size() ? entries.at(i + 1).lead - 1 : edits.lineCount();
        entryIndex.insert(entries.at(i).name, i);
    }

    QHash<QString, const DeviceSettings *> wasByName;
    for (const DeviceSettings &device : before) {
        if (!entryIndex.contains(device.name))
            return std::nullopt;
        wasByName.insert(device.name, &device);
    }

    // Each table of `after` keeps its place when it comes after the one kept before it.
    QHash<qsizetype, const DeviceSettings *> kept;
    qsizetype lastKept = -1;
    for (const DeviceSettings &device : after) {
        const qsizetype index = entryIndex.value(device.name, -1);
        if (index >= 0 && !wasByName.contains(device.name))
            return std::nullopt; // it would clash with a key that is not a device's
        if (index > lastKept) {
            kept.insert(index, &device);
            lastKept = index;
        } else {
            edits.append(QStringList{QLatin1Char('[') + tomlKey(device.name) + QLatin1Char(']')}
                + labTableLines(device, driverFor));
        }
    }

    for (qsizetype i = 0; i < entries.size(); ++i) {
        const Entry &entry = entries.at(i);
        const DeviceSettings *was = wasByName.value(entry.name);
        if (!was)
            continue; // not a device: kept as it is
        const DeviceSettings *now = kept.value(i);
        if (!now) {
            edits.removeLines(entry.lead, entry.end);
            if (entry.end == edits.lineCount())
                edits.trimEnd();
            continue;
        }
        if (!sameLabTable(*was, *now, driverFor) && !editTable(edits, entry, *was, *now, driverFor))
            return std::nullopt;
    }
    return edits.text();
}

} // namespace Benchtop
