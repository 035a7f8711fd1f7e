// SPDX-License-Identifier: MIT
#include "runprogress.h"

#include <QLocale>

#include <cmath>

namespace Benchtop::Run {

namespace {

double seconds(Async::Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

} // namespace

RunProgress::RunProgress(qint64 total, Async::TimePoint start)
    : m_total(total)
    , m_last{start, 0}
{
    addSample(m_last);
}

void RunProgress::addSample(Sample sample)
{
    const int size = int(m_samples.size());
    if (m_sampleCount < size) {
        m_samples[(m_oldest + m_sampleCount) % size] = sample;
        ++m_sampleCount;
        return;
    }
    m_samples[m_oldest] = sample; // the oldest goes
    m_oldest = (m_oldest + 1) % size;
}

void RunProgress::pointDone(Async::TimePoint at)
{
    ++m_done;
    m_last = {at, m_done};
    const int size = int(m_samples.size());
    const Sample &newest = m_samples[(m_oldest + m_sampleCount - 1) % size];
    if (at - newest.at >= kRateWindow / (size - 1))
        addSample(m_last);
}

void RunProgress::resumedAt(Async::TimePoint at)
{
    // Start measuring afresh from here: the wait is not the run's pace.
    m_sampleCount = 0;
    m_oldest = 0;
    m_last = {at, m_done};
    addSample(m_last);
}

double RunProgress::rate() const
{
    const Sample &oldest = m_samples[m_oldest];
    const qint64 points = m_last.done - oldest.done;
    const double span = seconds(m_last.at - oldest.at);
    if (points < 1 || span <= 0)
        return 0;
    return double(points) / span;
}

std::optional<double> RunProgress::secondsLeft() const
{
    const double r = rate();
    if (m_total < 0 || r <= 0)
        return std::nullopt;
    return double(std::max<qint64>(0, m_total - m_done)) / r;
}

QString RunProgress::summary() const
{
    const QLocale c(QLocale::English);
    QString text = QStringLiteral("point %1").arg(c.toString(m_done));
    if (m_total >= 0) {
        const double percent = m_total == 0 ? 100.0 : 100.0 * double(m_done) / double(m_total);
        text += QStringLiteral(" of %1 (%2%)")
                    .arg(c.toString(m_total), QString::number(percent, 'f', 1));
    }
    const double r = rate();
    if (r > 0) {
        text += QStringLiteral(", %1 points/s")
                    .arg(r >= 100 ? c.toString(qint64(std::llround(r))) : QString::number(r, 'f', 1));
    }
    if (const auto left = secondsLeft())
        text += QStringLiteral(", %1 left").arg(formatDuration(*left));
    return text;
}

QString formatDuration(double seconds)
{
    const qint64 total = seconds <= 0 ? 0 : qint64(std::ceil(seconds));
    return QStringLiteral("%1:%2:%3")
        .arg(total / 3600)
        .arg((total / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(total % 60, 2, 10, QLatin1Char('0'));
}

} // namespace Benchtop::Run
