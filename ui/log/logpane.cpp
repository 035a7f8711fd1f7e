// SPDX-License-Identifier: MIT
#include "logpane.h"

#include "eventlog.h"
#include "logfiltermodel.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace Benchtop::Ui {

LogPane::LogPane(EventLog *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_filter(new LogFilterModel(this))
    , m_text(new QLineEdit(this))
    , m_category(new QComboBox(this))
    , m_clear(new QPushButton(tr("Clear"), this))
    , m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("logPane"));
    m_filter->setSourceModel(log);

    m_text->setObjectName(QStringLiteral("logFilter"));
    m_text->setPlaceholderText(tr("Filter by device or message"));
    m_text->setClearButtonEnabled(true);
    connect(m_text, &QLineEdit::textChanged, m_filter, &LogFilterModel::setText);

    m_category->setObjectName(QStringLiteral("logCategory"));
    m_category->addItem(tr("All"));
    m_category->addItem(tr("Faults"), QVariant::fromValue(EventLog::Category::Fault));
    m_category->addItem(tr("Loop holds"), QVariant::fromValue(EventLog::Category::Loop));
    m_category->addItem(tr("Refused"), QVariant::fromValue(EventLog::Category::Refused));
    m_category->addItem(tr("Plugins"), QVariant::fromValue(EventLog::Category::Plugin));
    m_category->addItem(tr("Actions"), QVariant::fromValue(EventLog::Category::Action));
    connect(m_category, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QVariant category = m_category->itemData(index);
        m_filter->setCategory(category.isValid()
                ? std::optional(category.value<EventLog::Category>())
                : std::nullopt);
    });

    m_clear->setObjectName(QStringLiteral("logClear"));
    connect(m_clear, &QPushButton::clicked, log, &EventLog::clear);

    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    // One line per entry: fixed rows keep ten thousand of them cheap to lay out.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    sizeColumns();

    // Follow the newest entry only if the operator was already looking at it.
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = m_view->verticalScrollBar();
        m_following = bar->value() == bar->maximum();
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_following)
            m_view->scrollToBottom();
    });

    auto *copy = new QAction(tr("Copy"), m_view);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &LogPane::copySelection);
    m_view->addAction(copy);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *tools = new QHBoxLayout;
    tools->addWidget(m_text, 1);
    tools->addWidget(m_category);
    tools->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(tools);
    layout->addWidget(m_view);
}

LogPane::~LogPane() = default;

void LogPane::sizeColumns()
{
    // From the font, not from the contents: measuring ten thousand rows would be slow, and
    // the widths of the time and category columns are known in advance.
    QHeaderView *header = m_view->horizontalHeader();
    const QFontMetrics metrics = m_view->fontMetrics();
    const int padding = 3 * m_view->style()->pixelMetric(QStyle::PM_HeaderMargin) + 8;
    const auto widthOf = [&](const QString &text) {
        return std::max(
                   metrics.horizontalAdvance(text), header->fontMetrics().horizontalAdvance(text))
            + padding;
    };
    header->resizeSection(EventLog::TimeColumn, widthOf(QStringLiteral("00:00:00.000")));
    int categoryWidth
        = widthOf(m_log->headerData(EventLog::CategoryColumn, Qt::Horizontal).toString());
    for (auto category :
        {EventLog::Category::Fault, EventLog::Category::Loop, EventLog::Category::Refused,
            EventLog::Category::Plugin, EventLog::Category::Action, EventLog::Category::Info})
        categoryWidth = std::max(categoryWidth, widthOf(EventLog::toString(category)));
    header->resizeSection(EventLog::CategoryColumn, categoryWidth);
    header->resizeSection(EventLog::DeviceColumn, widthOf(QStringLiteral("spectrometer-2")));
    header->setSectionResizeMode(EventLog::MessageColumn, QHeaderView::Stretch);
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter); // as the text below
}

void LogPane::copySelection() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (const QModelIndex &row : rows)
        lines << m_log->toText(m_filter->mapToSource(row).row());
    if (!lines.isEmpty())
        QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

} // namespace Benchtop::Ui
