// SPDX-License-Identifier: MIT
#include "planfile.h"

#include "filenaming.h"

#include <device/diagnostics.h>
#include <lab/labfile.h>
#include <lab/tablechecker_p.h>
#include <lab/tomlsupport_p.h>
#include <plugins/configfield.h>

#include <QFile>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Benchtop::Run {

namespace {

const QString kCount = QStringLiteral("count");
const QString kScan = QStringLiteral("scan");
const QString kListScan = QStringLiteral("list_scan");
const QString kGridScan = QStringLiteral("grid_scan");
const QString kAdaptiveScan = QStringLiteral("adaptive_scan");
const QString kTimeSeries = QStringLiteral("time_series");

const QString kKind = QStringLiteral("kind");
const QString kAxis = QStringLiteral("axis");
const QString kMetadata = QStringLiteral("metadata");
const QString kDevice = QStringLiteral("device");
const QString kStart = QStringLiteral("start");
const QString kStop = QStringLiteral("stop");
const QString kPoints = QStringLiteral("points");
const QString kValues = QStringLiteral("values");
const QString kOnChange = QStringLiteral("on_change");
const QString kPeriod = QStringLiteral("period_s");

/// A year: the longest delay, settle time or duration a plan may ask for; a larger one is a
/// mistake (or `inf`).
constexpr double kLongestSeconds = 365.0 * 24 * 3600;

/// One key a plan (or an axis) may have, and the kinds that take it.
struct KeySpec {
    ConfigField field;
    QStringList kinds; ///< empty: every kind
    QStringList requiredKinds; ///< the kinds that need it
    bool requiredFor(const QString &kind) const { return requiredKinds.contains(kind); }
};

ConfigField makeField(const QString &name, ValueType type, std::optional<double> minimum = {},
    std::optional<double> maximum = {}, const QString &units = {})
{
    ConfigField field;
    field.name = name;
    field.type = type;
    field.minimum = minimum;
    field.maximum = maximum;
    field.units = units;
    field.defaultValue = QVariant(0); // checked here for type and range only, never filled in
    return field;
}

QList<KeySpec> topLevelKeys()
{
    const QStringList moving{kScan, kListScan, kGridScan, kAdaptiveScan};
    const QStringList all;
    const auto seconds = [](const QString &name, double minimum) {
        return makeField(name, ValueType::Double, minimum, kLongestSeconds, QStringLiteral("s"));
    };
    return {
        {makeField(kKind, ValueType::String), all, planKinds()},
        {makeField(QStringLiteral("detectors"), ValueType::StringList), all, {kAdaptiveScan}},
        {makeField(QStringLiteral("record"), ValueType::StringList), all, {}},
        {makeField(kPoints, ValueType::Int, 1, double(kMaxPlanPoints)), {kCount}, {}},
        {seconds(QStringLiteral("delay_s"), 0),
            {kCount, kScan, kListScan, kGridScan, kAdaptiveScan}, {}},
        {seconds(QStringLiteral("settle_s"), 0), moving, {}},
        {makeField(QStringLiteral("repeats"), ValueType::Int, 1, double(kMaxPlanPoints)),
            {kScan, kListScan, kGridScan}, {}},
        {makeField(QStringLiteral("return_to_start"), ValueType::Bool), moving, {}},
        {seconds(QStringLiteral("suspend_timeout_s"), 0), all, {}},
        {makeField(QStringLiteral("file_template"), ValueType::String), all, {}},
        {makeField(kAxis, ValueType::Map), moving, moving},
        {makeField(QStringLiteral("target"), ValueType::String), {kAdaptiveScan}, {kAdaptiveScan}},
        {makeField(QStringLiteral("min_step"), ValueType::Double), {kAdaptiveScan},
            {kAdaptiveScan}},
        {makeField(QStringLiteral("max_step"), ValueType::Double), {kAdaptiveScan},
            {kAdaptiveScan}},
        {makeField(QStringLiteral("target_delta"), ValueType::Double), {kAdaptiveScan},
            {kAdaptiveScan}},
        {makeField(QStringLiteral("backstep"), ValueType::Bool), {kAdaptiveScan}, {}},
        {seconds(kPeriod, 0.0001), {kTimeSeries}, {}},
        {makeField(kOnChange, ValueType::Bool), {kTimeSeries}, {}},
        {seconds(QStringLiteral("duration_s"), 0.001), {kTimeSeries}, {}},
        {makeField(kMetadata, ValueType::Map), all, {}},
    };
}

QList<KeySpec> axisKeys()
{
    const QStringList all;
    return {
        {makeField(kDevice, ValueType::String), all, {kScan, kListScan, kGridScan, kAdaptiveScan}},
        {makeField(kStart, ValueType::Double), {kScan, kGridScan, kAdaptiveScan},
            {kScan, kAdaptiveScan}},
        {makeField(kStop, ValueType::Double), {kScan, kGridScan, kAdaptiveScan},
            {kScan, kAdaptiveScan}},
        {makeField(kPoints, ValueType::Int, 1, double(kMaxPlanPoints)), {kScan, kGridScan},
            {kScan}},
        // An array of numbers or of strings: checked by hand.
        {makeField(kValues, ValueType::Map), {kListScan, kGridScan}, {kListScan}},
        {makeField(QStringLiteral("relative"), ValueType::Bool), all, {}},
        {makeField(QStringLiteral("snake"), ValueType::Bool), {kGridScan}, {}},
    };
}

QStringList namesOf(const QList<KeySpec> &specs, const QString &kind = {})
{
    QStringList names;
    for (const KeySpec &spec : specs) {
        if (kind.isEmpty() || spec.kinds.isEmpty() || spec.kinds.contains(kind))
            names << spec.field.name;
    }
    return names;
}

const KeySpec *specOf(const QList<KeySpec> &specs, const QString &name)
{
    const auto it = std::find_if(
        specs.cbegin(), specs.cend(), [&](const KeySpec &spec) { return spec.field.name == name; });
    return it == specs.cend() ? nullptr : &*it;
}

/// "scan", "scan and grid_scan", "scan, list_scan and grid_scan".
QString kindsText(const QStringList &kinds)
{
    if (kinds.size() <= 1)
        return kinds.join(QString());
    return kinds.mid(0, kinds.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" and ")
        + kinds.last();
}

/// Why a kind does not take a key, beyond naming the kinds that do.
QString notForKindHint(const QString &key, const QString &kind)
{
    if (key == kPoints && kind != kTimeSeries)
        return QStringLiteral("; each [[axis]] has its own \"points\"");
    if (key == QLatin1String("repeats") && kind == kCount)
        return QStringLiteral("; give \"points\" the whole count");
    if (key == kAxis)
        return QStringLiteral("; a %1 moves nothing").arg(kind);
    if (key == QLatin1String("delay_s") && kind == kTimeSeries)
        return QStringLiteral("; a time_series records every \"period_s\"");
    return {};
}

QString axisHint(const QString &key, const QString &kind)
{
    if (key == kValues && kind == kScan)
        return QStringLiteral("; a scan's axes are linear: start, stop and points");
    if ((key == kStart || key == kStop || key == kPoints) && kind == kListScan)
        return QStringLiteral("; a list_scan's axes take \"values\"");
    if (key == kPoints && kind == kAdaptiveScan)
        return QStringLiteral("; an adaptive_scan chooses its own steps");
    return {};
}

bool isNumber(const QVariant &value)
{
    const int type = value.typeId();
    return type == QMetaType::Double || type == QMetaType::LongLong || type == QMetaType::Int;
}

bool isString(const QVariant &value)
{
    return value.typeId() == QMetaType::QString;
}

/// `device.value` with both parts present.
bool isDotted(const QString &text)
{
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    return dot > 0 && dot < text.size() - 1;
}

qint64 saturatingProduct(qint64 a, qint64 b)
{
    if (a <= 0 || b <= 0)
        return a <= 0 ? a : b;
    if (a > std::numeric_limits<qint64>::max() / b)
        return std::numeric_limits<qint64>::max();
    return a * b;
}

/// One override as given, and the key it set.
struct Override {
    QString text;
    QString key; ///< "delay_s" or "metadata.sample"
};

/// Reads one plan: the parsed TOML as variants, checked key by key into a Plan.
class PlanReader {
public:
    PlanReader(const QString &path, QVariantMap root, TablePositions positions)
        : m_path(path)
        , m_root(std::move(root))
        , m_positions(std::move(positions))
        , m_table(m_path, {}, m_positions, {1, 1})
    {
    }

    void applyOverrides(const QStringList &overrides);
    void read(Plan &plan);
    QList<LabError> errors();

private:
    void readTopLevel(Plan &plan);
    void readAxes(Plan &plan, const QVariant &value);
    std::optional<PlanAxis> readAxis(int index, const QVariantMap &table);
    void readMetadata(Plan &plan, const QVariant &value);
    void checkKind(Plan &plan);
    void checkTemplate(const Plan &plan);
    void checkPointCount(const Plan &plan);
    /// Whether `value` is a finite number; else an error at `path`.
    bool finite(TableChecker &table, const QString &key, const QString &path, const QString &label,
        const QVariant &value);
    bool positive(const QString &key, double value);

    const QString &m_path;
    QVariantMap m_root;
    TablePositions m_positions;
    TableChecker m_table;
    QList<LabError> m_extra; ///< from the axes' checkers and the overrides
    QList<Override> m_overrides;
    QString m_kind; ///< empty until known
    bool m_axesOk = true;
};

void PlanReader::applyOverrides(const QStringList &overrides)
{
    auto refuse = [&](const QString &text, const QString &message) {
        m_extra.append({m_path, 0, 0, QStringLiteral("--set %1: %2").arg(quoted(text), message), {},
            {}, LabError::Severity::Error});
    };
    for (const QString &text : overrides) {
        const qsizetype eq = text.indexOf(QLatin1Char('='));
        const QString key = eq < 0 ? QString() : text.left(eq).trimmed();
        if (key.isEmpty()) {
            refuse(text,
                QStringLiteral("must be KEY=VALUE (a top-level key of the plan, or metadata.KEY)"));
            continue;
        }
        const QString valueText = text.mid(eq + 1).trimmed();
        QString problem;
        const std::optional<QVariant> value = parseLabValue(valueText, &problem);
        if (!value) {
            refuse(text,
                QStringLiteral("the value %1 (a string is written in quotes: %2=\"%3\")")
                    .arg(problem, key, valueText));
            continue;
        }
        const QString metadataPrefix = kMetadata + QLatin1Char('.');
        if (key.startsWith(metadataPrefix)) {
            const QString name = key.mid(metadataPrefix.size());
            if (name.isEmpty() || name.contains(QLatin1Char('.'))) {
                refuse(text, QStringLiteral("%1 is not metadata.KEY").arg(quoted(key)));
                continue;
            }
            QVariantMap metadata = m_root.value(kMetadata).toMap();
            metadata.insert(name, *value);
            m_root.insert(kMetadata, metadata);
        } else if (key == kAxis || key == kMetadata || key.contains(QLatin1Char('.'))
            || key.contains(QLatin1Char('['))) {
            refuse(text,
                QStringLiteral("can set a top-level key of the plan or metadata.KEY, not %1")
                    .arg(quoted(key)));
            continue;
        } else {
            m_root.insert(key, *value);
        }
        // Its place in the file, if it had one, no longer holds its value.
        for (auto it = m_positions.begin(); it != m_positions.end();) {
            const bool stale = it.key() == key || it.key().startsWith(key + QLatin1Char('.'))
                || it.key().startsWith(key + QLatin1Char('['));
            it = stale ? m_positions.erase(it) : std::next(it);
        }
        m_overrides.append({text, key});
    }
}

void PlanReader::read(Plan &plan)
{
    checkKind(plan);
    readTopLevel(plan);
    if (m_kind.isEmpty())
        return;
    // Required keys of the kind.
    for (const KeySpec &spec : topLevelKeys()) {
        if (spec.field.name == kKind || !spec.requiredFor(m_kind)
            || m_root.contains(spec.field.name))
            continue;
        QString what;
        if (spec.field.name == kAxis)
            what = QStringLiteral(" (an [[axis]] table for each device it moves)");
        else if (spec.field.name == QLatin1String("detectors"))
            what = QStringLiteral(" (the sensors it reads)");
        m_table.errorAtTable(spec.field.name,
            QStringLiteral("plan kind %1 needs key %2%3")
                .arg(quoted(m_kind), quoted(spec.field.name), what));
    }

    if (m_kind == kAdaptiveScan) {
        if (plan.minStep > 0 && plan.maxStep > 0 && plan.minStep > plan.maxStep) {
            m_table.error(QStringLiteral("min_step"), QStringLiteral("min_step"),
                QStringLiteral("key \"min_step\" (%1) is above max_step (%2)")
                    .arg(formatNumber(plan.minStep), formatNumber(plan.maxStep)));
        }
        if (!plan.target.isEmpty() && isDotted(plan.target)) {
            const QString device = plan.target.section(QLatin1Char('.'), 0, 0);
            if (m_root.contains(QStringLiteral("detectors")) && !plan.detectors.contains(device)) {
                m_table.error(QStringLiteral("target"), QStringLiteral("target"),
                    QStringLiteral("key \"target\": device %1 is not one of the detectors (%2)")
                        .arg(quoted(device), quotedList(plan.detectors)));
            }
        }
    }
    if (m_kind == kTimeSeries) {
        const bool period = m_root.contains(kPeriod);
        if (period && plan.onChange) {
            m_table.error(kOnChange, kOnChange,
                QStringLiteral("give either \"period_s\" or \"on_change = true\", not both"));
        } else if (!period && !plan.onChange && !m_root.contains(kOnChange)) {
            m_table.errorAtTable(kPeriod,
                QStringLiteral("a \"time_series\" plan needs key \"period_s\" (record every "
                               "period) or \"on_change = true\" (record every change)"));
        } else if (!period && !plan.onChange) {
            m_table.error(kOnChange, kOnChange,
                QStringLiteral("with \"on_change = false\" a time_series needs key \"period_s\""));
        }
    }
    if ((m_kind == kCount || m_kind == kTimeSeries) && plan.detectors.isEmpty()
        && plan.record.isEmpty() && !m_root.contains(QStringLiteral("detectors"))
        && !m_root.contains(QStringLiteral("record"))) {
        m_table.errorAtTable(QStringLiteral("detectors"),
            QStringLiteral("a %1 plan measures nothing: give \"detectors\" (sensors to read) or "
                           "\"record\" (values to record, \"device.value\")")
                .arg(quoted(m_kind)));
    }
    checkTemplate(plan);
    if (!m_table.failed() && m_extra.isEmpty())
        checkPointCount(plan);
}

void PlanReader::checkKind(Plan &plan)
{
    const QVariant kind = m_root.value(kKind);
    if (!m_root.contains(kKind)) {
        m_table.errorAtTable(
            kKind, QStringLiteral("missing key \"kind\" (one of %1)").arg(quotedList(planKinds())));
        return;
    }
    if (!kind.isValid())
        return; // a date: reported by the parser
    if (!isString(kind)) {
        m_table.error(kKind, kKind,
            QStringLiteral("key \"kind\" must be a string (one of %1), not %2")
                .arg(quotedList(planKinds()), describeValue(kind)));
        return;
    }
    const QString name = kind.toString();
    if (!planKinds().contains(name)) {
        const QString suggestion = didYouMean(name, planKinds());
        m_table.error(kKind, kKind,
            QStringLiteral("unknown plan kind %1").arg(quoted(name))
                + (suggestion.isEmpty()
                        ? QStringLiteral(" (the kinds are %1)").arg(quotedList(planKinds()))
                        : suggestion));
        return;
    }
    m_kind = name;
    plan.kind = name;
}

void PlanReader::readTopLevel(Plan &plan)
{
    const QList<KeySpec> specs = topLevelKeys();
    const QStringList all = namesOf(specs);
    for (auto it = m_root.cbegin(); it != m_root.cend(); ++it) {
        const QString &key = it.key();
        if (key == kKind)
            continue;
        const KeySpec *spec = specOf(specs, key);
        if (!spec) {
            m_table.unknownKey(key, all,
                QStringLiteral(" (%1 takes %2)")
                    .arg(m_kind.isEmpty() ? QStringLiteral("a plan")
                                          : QStringLiteral("plan kind ") + quoted(m_kind),
                        quotedList(namesOf(specs, m_kind))));
            continue;
        }
        if (!m_kind.isEmpty() && !spec->kinds.isEmpty() && !spec->kinds.contains(m_kind)) {
            m_table.error(key, key,
                QStringLiteral("plan kind %1 does not take key %2 (it is for %3%4)")
                    .arg(quoted(m_kind), quoted(key), kindsText(spec->kinds),
                        notForKindHint(key, m_kind)));
            continue;
        }
        if (!it.value().isValid())
            continue; // a date: reported by the parser
        if (key == kAxis) {
            readAxes(plan, it.value());
            continue;
        }
        if (key == kMetadata) {
            readMetadata(plan, it.value());
            continue;
        }
        const std::optional<QVariant> value = m_table.value(spec->field, key, it.value());
        if (!value)
            continue;
        if (key == QLatin1String("detectors") || key == QLatin1String("record")) {
            const QStringList names = value->toStringList();
            QStringList seen;
            for (qsizetype i = 0; i < names.size(); ++i) {
                const QString path = key + QStringLiteral("[%1]").arg(i);
                if (names[i].isEmpty()) {
                    m_table.error(key, path, keyLabel(path) + QStringLiteral(" is empty"));
                } else if (key == QLatin1String("record") && !isDotted(names[i])) {
                    m_table.error(key, path,
                        QStringLiteral("%1 must be \"device.value\", not %2")
                            .arg(keyLabel(path), quoted(names[i])));
                } else if (seen.contains(names[i])) {
                    m_table.error(key, path,
                        QStringLiteral("%1: %2 is named twice")
                            .arg(keyLabel(path), quoted(names[i])));
                }
                seen << names[i];
            }
            (key == QLatin1String("detectors") ? plan.detectors : plan.record) = names;
        } else if (key == kPoints) {
            plan.points = value->toLongLong();
        } else if (key == QLatin1String("delay_s")) {
            plan.delaySeconds = value->toDouble();
        } else if (key == QLatin1String("settle_s")) {
            plan.settleSeconds = value->toDouble();
        } else if (key == QLatin1String("repeats")) {
            plan.repeats = value->toInt();
        } else if (key == QLatin1String("return_to_start")) {
            plan.returnToStart = value->toBool();
        } else if (key == QLatin1String("suspend_timeout_s")) {
            plan.suspendTimeoutSeconds = value->toDouble();
        } else if (key == QLatin1String("file_template")) {
            plan.fileTemplate = value->toString();
        } else if (key == QLatin1String("target")) {
            plan.target = value->toString();
            if (!isDotted(plan.target)) {
                m_table.error(key, key,
                    QStringLiteral("key \"target\" must be \"device.channel\" (a detector's "
                                   "channel), not %1")
                        .arg(quoted(plan.target)));
            }
        } else if (key == QLatin1String("min_step")) {
            if (positive(key, value->toDouble()))
                plan.minStep = value->toDouble();
        } else if (key == QLatin1String("max_step")) {
            if (positive(key, value->toDouble()))
                plan.maxStep = value->toDouble();
        } else if (key == QLatin1String("target_delta")) {
            if (positive(key, value->toDouble()))
                plan.targetDelta = value->toDouble();
        } else if (key == QLatin1String("backstep")) {
            plan.backstep = value->toBool();
        } else if (key == kPeriod) {
            plan.periodSeconds = value->toDouble();
        } else if (key == kOnChange) {
            plan.onChange = value->toBool();
        } else if (key == QLatin1String("duration_s")) {
            plan.durationSeconds = value->toDouble();
        }
    }
}

bool PlanReader::positive(const QString &key, double value)
{
    if (std::isfinite(value) && value > 0)
        return true;
    m_table.error(key, key,
        QStringLiteral("%1 must be a number above 0, not %2")
            .arg(keyLabel(key), formatNumber(value)));
    return false;
}

bool PlanReader::finite(TableChecker &table, const QString &key, const QString &path,
    const QString &label, const QVariant &value)
{
    if (isNumber(value) && std::isfinite(value.toDouble()))
        return true;
    table.error(key, path,
        QStringLiteral("%1 must be a finite number, not %2").arg(label, describeValue(value)));
    return false;
}

void PlanReader::readAxes(Plan &plan, const QVariant &value)
{
    const QVariantList tables = value.toList();
    const bool arrayOfTables = value.typeId() == QMetaType::QVariantList && !tables.isEmpty()
        && std::all_of(tables.cbegin(), tables.cend(),
            [](const QVariant &t) { return t.typeId() == QMetaType::QVariantMap; });
    if (!arrayOfTables) {
        m_table.error(kAxis, kAxis,
            QStringLiteral("key \"axis\" must be [[axis]] tables, one per device to move, not %1")
                .arg(describeValue(value)));
        m_axesOk = false;
        return;
    }
    for (int i = 0; i < tables.size(); ++i) {
        std::optional<PlanAxis> axis = readAxis(i, tables[i].toMap());
        if (axis)
            plan.axes.append(std::move(*axis));
        else
            m_axesOk = false;
    }
    if (!m_axesOk)
        return;

    if (m_kind == kAdaptiveScan && plan.axes.size() != 1) {
        const QString path = QStringLiteral("axis[1]");
        m_table.error(kAxis, path,
            QStringLiteral("an \"adaptive_scan\" plan moves one axis, not %1")
                .arg(plan.axes.size()));
        m_axesOk = false;
    }
    // Axes moved together need as many points each.
    if (m_kind == kScan || m_kind == kListScan) {
        const auto count = [](const PlanAxis &axis) {
            return axis.values.isEmpty() ? qsizetype(axis.points.value_or(0)) : axis.values.size();
        };
        for (int i = 1; i < plan.axes.size(); ++i) {
            if (count(plan.axes[i]) == count(plan.axes[0]))
                continue;
            const QString key = m_kind == kScan ? kPoints : kValues;
            const auto counted = [&](qsizetype n) {
                return QStringLiteral("%1 %2").arg(n).arg(m_kind == kScan
                        ? (n == 1 ? QStringLiteral("point") : QStringLiteral("points"))
                        : (n == 1 ? QStringLiteral("value") : QStringLiteral("values")));
            };
            m_table.error(kAxis, QStringLiteral("axis[%1].%2").arg(i).arg(key),
                QStringLiteral("axis %1 has %2 and axis 1 has %3: a %4 moves its axes together, "
                               "so each needs as many")
                    .arg(i + 1)
                    .arg(counted(count(plan.axes[i])), counted(count(plan.axes[0])), m_kind));
            m_axesOk = false;
        }
    }
    if (m_kind == kGridScan && !plan.axes.isEmpty() && plan.axes.first().snake) {
        m_table.error(kAxis, QStringLiteral("axis[0].snake"),
            QStringLiteral("axis 1: key \"snake\" does nothing on the first (slowest) axis of a "
                           "grid_scan; snake the axes inside it"));
        m_axesOk = false;
    }
    QStringList devices;
    for (int i = 0; i < plan.axes.size(); ++i) {
        const QString &device = plan.axes[i].device;
        if (const qsizetype first = devices.indexOf(device); first >= 0) {
            m_table.error(kAxis, QStringLiteral("axis[%1].device").arg(i),
                QStringLiteral("axis %1: device %2 is already axis %3")
                    .arg(i + 1)
                    .arg(quoted(device))
                    .arg(first + 1));
            m_axesOk = false;
        }
        devices << device;
    }
}

std::optional<PlanAxis> PlanReader::readAxis(int index, const QVariantMap &table)
{
    const QString prefix = QStringLiteral("axis[%1]").arg(index);
    // The axis's own positions, by key within it, for a checker of its own.
    TablePositions positions;
    for (auto it = m_positions.cbegin(); it != m_positions.cend(); ++it) {
        if (it.key().startsWith(prefix + QLatin1Char('.')))
            positions.insert(it.key().mid(prefix.size() + 1), it.value());
    }
    const QPair<int, int> at = tablePositionOf(m_positions, prefix, {1, 1});
    TableChecker checker(m_path, {}, positions, at);
    const QList<KeySpec> specs = axisKeys();

    PlanAxis axis;
    axis.line = at.first;
    axis.column = at.second;
    for (auto it = table.cbegin(); it != table.cend(); ++it) {
        const QString &key = it.key();
        const KeySpec *spec = specOf(specs, key);
        if (!spec) {
            checker.unknownKey(key, namesOf(specs),
                m_kind.isEmpty()
                    ? QStringLiteral(" (an axis takes %1)").arg(quotedList(namesOf(specs)))
                    : QStringLiteral(" (the axes of plan kind %1 take %2)")
                          .arg(quoted(m_kind), quotedList(namesOf(specs, m_kind))));
            continue;
        }
        if (!m_kind.isEmpty() && !spec->kinds.isEmpty() && !spec->kinds.contains(m_kind)) {
            checker.error(key, key,
                QStringLiteral("the axes of plan kind %1 do not take key %2 (it is for %3%4)")
                    .arg(quoted(m_kind), quoted(key), kindsText(spec->kinds),
                        axisHint(key, m_kind)));
            continue;
        }
        if (!it.value().isValid())
            continue;
        if (key == kValues) {
            const QVariantList values = it.value().toList();
            if (it.value().typeId() != QMetaType::QVariantList || values.isEmpty()) {
                checker.error(key, key,
                    QStringLiteral("key \"values\" must be a non-empty array of positions "
                                   "(numbers) or identifiers (strings), not %1")
                        .arg(values.isEmpty() && it.value().typeId() == QMetaType::QVariantList
                                ? QStringLiteral("[]")
                                : describeValue(it.value())));
                continue;
            }
            const bool numbers = isNumber(values.first());
            bool ok = true;
            for (qsizetype i = 0; i < values.size(); ++i) {
                const QString path = QStringLiteral("values[%1]").arg(i);
                const QVariant &v = values[i];
                if (numbers) {
                    ok = finite(checker, key, path, keyLabel(path), v) && ok;
                } else if (!isString(v) || v.toString().isEmpty()) {
                    checker.error(key, path,
                        QStringLiteral("%1 must be %2, not %3")
                            .arg(keyLabel(path),
                                i == 0 ? QStringLiteral("a number or an identifier (a string)")
                                       : QStringLiteral("an identifier (a string) as the first "
                                                        "value is"),
                                isString(v) ? QStringLiteral("an empty string")
                                            : describeValue(v)));
                    ok = false;
                }
            }
            if (ok) {
                axis.values.reserve(values.size());
                for (const QVariant &v : values)
                    axis.values.append(numbers ? QVariant(v.toDouble()) : v);
            }
            continue;
        }
        const std::optional<QVariant> value = checker.value(spec->field, key, it.value());
        if (!value)
            continue;
        if (key == kDevice) {
            axis.device = value->toString();
            if (axis.device.isEmpty())
                checker.error(key, key, QStringLiteral("key \"device\" is empty"));
        } else if (key == kStart || key == kStop) {
            if (finite(checker, key, key, keyLabel(key), *value))
                (key == kStart ? axis.start : axis.stop) = value->toDouble();
        } else if (key == kPoints) {
            axis.points = value->toInt();
        } else if (key == QLatin1String("relative")) {
            axis.relative = value->toBool();
        } else if (key == QLatin1String("snake")) {
            axis.snake = value->toBool();
        }
    }

    if (!m_kind.isEmpty() && !checker.failed()) {
        const bool linear
            = table.contains(kStart) || table.contains(kStop) || table.contains(kPoints);
        if (table.contains(kValues) && linear) {
            const QString first = table.contains(kStart) ? kStart
                : table.contains(kStop)                  ? kStop
                                                         : kPoints;
            checker.error(first, first,
                QStringLiteral("give either \"values\" or \"start\", \"stop\" and \"points\", not "
                               "both"));
        } else {
            QStringList needed;
            if (!table.contains(kDevice))
                needed << kDevice;
            if (m_kind == kListScan && !table.contains(kValues))
                needed << kValues;
            if (m_kind == kScan || m_kind == kAdaptiveScan
                || (m_kind == kGridScan && !table.contains(kValues))) {
                for (const QString &key : {kStart, kStop})
                    if (!table.contains(key))
                        needed << key;
                if (m_kind != kAdaptiveScan && !table.contains(kPoints))
                    needed << kPoints;
            }
            for (const QString &key : std::as_const(needed)) {
                QString what;
                if (key == kStart && m_kind == kGridScan)
                    what = QStringLiteral(" (or \"values\")");
                checker.errorAtTable(
                    key, QStringLiteral("missing key %1%2").arg(quoted(key), what));
            }
        }
        if (axis.relative && !axis.values.isEmpty() && isString(axis.values.first())) {
            checker.error(QStringLiteral("relative"), QStringLiteral("relative"),
                QStringLiteral("key \"relative\" is for positions (numbers), not identifiers"));
        }
    }

    QList<LabError> errors = checker.errors();
    for (LabError &error : errors) {
        error.message.prepend(QStringLiteral("axis %1: ").arg(index + 1));
        error.key = prefix + QLatin1Char('.') + error.key;
    }
    m_extra.append(errors);
    if (!errors.isEmpty())
        return std::nullopt;
    return axis;
}

void PlanReader::readMetadata(Plan &plan, const QVariant &value)
{
    if (value.typeId() != QMetaType::QVariantMap) {
        m_table.error(kMetadata, kMetadata,
            QStringLiteral("key \"metadata\" must be a table ([metadata]), not %1")
                .arg(describeValue(value)));
        return;
    }
    const QVariantMap metadata = value.toMap();
    const ConfigField text = makeField(QString(), ValueType::String);
    bool ok = true;
    for (const QString &name :
        {QStringLiteral("sample"), QStringLiteral("operator"), QStringLiteral("comment")}) {
        if (metadata.contains(name) && metadata.value(name).isValid()) {
            const QString key = kMetadata + QLatin1Char('.') + name;
            ok = m_table.value(text, key, metadata.value(name)).has_value() && ok;
        }
    }
    if (ok)
        plan.metadata = metadata;
}

void PlanReader::checkTemplate(const Plan &plan)
{
    if (plan.fileTemplate.isEmpty())
        return;
    const QString key = QStringLiteral("file_template");
    QString problem;
    const std::optional<QList<TemplatePart>> parts = parseFileTemplate(plan.fileTemplate, &problem);
    if (!parts) {
        m_table.error(key, key, QStringLiteral("key \"file_template\" %1").arg(problem));
        return;
    }
    QStringList known = builtinPlaceholders();
    known += plan.metadata.keys();
    for (const TemplatePart &part : *parts) {
        if (part.placeholder.isEmpty() || known.contains(part.placeholder))
            continue;
        const QString suggestion = didYouMean(part.placeholder, known);
        m_table.error(key, key,
            QStringLiteral("key \"file_template\": unknown placeholder %1")
                    .arg(quoted(QLatin1Char('{') + part.placeholder + QLatin1Char('}')))
                + (suggestion.isEmpty()
                        ? QStringLiteral(" (placeholders: %1, or a key of [metadata])")
                              .arg(quotedList(builtinPlaceholders()))
                        : suggestion));
    }
}

void PlanReader::checkPointCount(const Plan &plan)
{
    const qint64 count = planPointCount(plan);
    if (count <= kMaxPlanPoints)
        return;
    const QString path = plan.kind == kCount ? kPoints : QStringLiteral("axis");
    m_table.error(path, path,
        QStringLiteral("the plan visits %1 points%2; at most %3")
            .arg(count == std::numeric_limits<qint64>::max() ? QStringLiteral("more than 9e18")
                                                             : QString::number(count),
                plan.repeats > 1 ? QStringLiteral(" (repeats included)") : QString())
            .arg(kMaxPlanPoints));
}

QList<LabError> PlanReader::errors()
{
    QList<LabError> errors = m_table.errors() + m_extra;
    // An error about a value an override set points at the override, not at the file.
    for (LabError &error : errors) {
        // The last override of a key is the one that holds.
        for (auto it = m_overrides.crbegin(); it != m_overrides.crend(); ++it) {
            const Override &o = *it;
            const bool about = error.key == o.key || error.key.startsWith(o.key + QLatin1Char('['))
                || error.key.startsWith(o.key + QLatin1Char('.'));
            if (!about)
                continue;
            error.line = 0;
            error.column = 0;
            error.message.prepend(QStringLiteral("--set %1: ").arg(quoted(o.text)));
            break;
        }
    }
    std::stable_sort(errors.begin(), errors.end(), [](const LabError &a, const LabError &b) {
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return errors;
}

} // namespace

QStringList planKinds()
{
    return {kCount, kScan, kListScan, kGridScan, kAdaptiveScan, kTimeSeries};
}

PlanParseResult parsePlanFile(const QString &path, const QStringList &overrides)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        PlanParseResult result;
        result.plan.path = path;
        result.errors.append(
            {path, 0, 0, QStringLiteral("cannot read the plan file: %1").arg(file.errorString()),
                {}, {}, LabError::Severity::Error});
        return result;
    }
    return parsePlanText(file.readAll(), path, overrides);
}

PlanParseResult parsePlanText(
    const QByteArray &text, const QString &path, const QStringList &overrides)
{
    PlanParseResult result;
    result.plan.path = path;
    result.plan.text = text;
    result.plan.overrides = overrides;

    TomlSupport::SyntaxError syntaxError;
    const std::optional<toml::table> table = TomlSupport::parse(text, &syntaxError);
    if (!table) {
        result.errors.append({path, syntaxError.line, syntaxError.column, syntaxError.message, {},
            {}, LabError::Severity::Error});
        return result;
    }
    TablePositions positions;
    QList<LabError> unsupported;
    // For the positions of every value and the dates' errors; the values are taken below.
    TomlSupport::toVariant(
        *table, QString(),
        [&](const QString &at, const toml::node &node) {
            if (!at.isEmpty()) {
                const std::pair<int, int> p = TomlSupport::positionOf(node);
                positions.insert(at, {p.first, p.second});
            }
        },
        [&](const QString &at, const toml::node &node) {
            const std::pair<int, int> p = TomlSupport::positionOf(node);
            unsupported.append({path, p.first, p.second,
                QStringLiteral("%1 is %2; dates and times are not supported")
                    .arg(keyLabel(at), TomlSupport::describe(node)),
                {}, at, LabError::Severity::Error});
        });
    // toVariant makes a table holding a date invalid as a whole: rebuild the top level so that
    // the other keys are still checked.
    QVariantMap values;
    for (const auto &[key, node] : *table) {
        const QString name = QString::fromUtf8(key.str().data(), qsizetype(key.str().size()));
        values.insert(name, TomlSupport::toVariant(node, name, {}, {}));
    }

    PlanReader reader(path, std::move(values), positions);
    reader.applyOverrides(overrides);
    reader.read(result.plan);
    result.plan.keyPositions = positions;
    result.errors = unsupported + reader.errors();
    std::stable_sort(
        result.errors.begin(), result.errors.end(), [](const LabError &a, const LabError &b) {
            return std::pair(a.line, a.column) < std::pair(b.line, b.column);
        });
    return result;
}

qint64 planPointCount(const Plan &plan)
{
    if (plan.kind == kCount)
        return plan.points ? *plan.points : -1;
    if (plan.kind == kAdaptiveScan || plan.kind == kTimeSeries || plan.axes.isEmpty())
        return -1;
    const auto axisPoints = [](const PlanAxis &axis) {
        return axis.values.isEmpty() ? qint64(axis.points.value_or(0)) : qint64(axis.values.size());
    };
    qint64 count = axisPoints(plan.axes.first());
    if (plan.kind == kGridScan) {
        for (qsizetype i = 1; i < plan.axes.size(); ++i)
            count = saturatingProduct(count, axisPoints(plan.axes[i]));
    }
    return saturatingProduct(count, std::max(1, plan.repeats));
}

} // namespace Benchtop::Run
