// SPDX-License-Identifier: MIT
#include "ownmessagesform.h"

#include "deviceactions.h"

#include <widgets/livetext.h>

#include <QCheckBox>
#include <QGridLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include <optional>

namespace Benchtop::Ui {

namespace {

/// The parameter's type without a union's "null": "double" for ["null", "double"].
QString plainType(const QJsonValue &type)
{
    if (type.isString())
        return type.toString();
    if (type.isArray()) {
        for (const QJsonValue &member : type.toArray()) {
            if (member.isString() && member.toString() != QLatin1String("null"))
                return member.toString();
        }
    }
    return type.isObject() ? type.toObject().value(QLatin1String("type")).toString() : QString();
}

bool isNumber(const QString &type)
{
    return type == QLatin1String("double") || type == QLatin1String("float")
        || type == QLatin1String("int") || type == QLatin1String("long");
}

/// `text` as a value of `type`, or nothing when it is not one.
std::optional<QVariant> convert(const QString &text, const QString &type)
{
    bool ok = false;
    if (type == QLatin1String("double") || type == QLatin1String("float")) {
        const double value = text.trimmed().toDouble(&ok);
        return ok ? std::optional<QVariant>(value) : std::nullopt;
    }
    if (type == QLatin1String("int") || type == QLatin1String("long")) {
        const qlonglong value = text.trimmed().toLongLong(&ok);
        return ok ? std::optional<QVariant>(value) : std::nullopt;
    }
    return QVariant(text);
}

} // namespace

OwnMessagesForm::OwnMessagesForm(
    const QList<MessageDefinition> &messages, DeviceActions *actions, QWidget *parent)
    : QWidget(parent)
    , m_actions(actions)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    int line = 0;
    for (const MessageDefinition &message : messages) {
        Row row{message, {}, nullptr};
        auto *button = new QPushButton(message.name);
        button->setObjectName(QStringLiteral("call:") + message.name);
        button->setToolTip(message.doc.isEmpty() ? tr("Call %1").arg(message.name) : message.doc);
        grid->addWidget(button, line, 0);
        m_controls << button;
        auto *fields = new QHBoxLayout;
        for (const MessageParameter &parameter : message.request) {
            const QString type = plainType(parameter.type);
            const QString name = QStringLiteral("arg:%1:%2").arg(message.name, parameter.name);
            QWidget *field = nullptr;
            if (type == QLatin1String("boolean")) {
                auto *box = new QCheckBox(parameter.name);
                box->setChecked(parameter.defaultValue.toBool());
                field = box;
            } else {
                auto *edit = new QLineEdit;
                edit->setPlaceholderText(QStringLiteral("%1 (%2)").arg(parameter.name, type));
                if (parameter.hasDefault())
                    edit->setText(parameter.defaultValue.toVariant().toString());
                edit->setToolTip(QStringLiteral("%1: %2").arg(parameter.name, type));
                if (isNumber(type))
                    edit->setMaximumWidth(edit->fontMetrics().averageCharWidth() * 12);
                connect(edit, &QLineEdit::returnPressed, button, &QPushButton::click);
                field = edit;
            }
            field->setObjectName(name);
            fields->addWidget(field);
            row.fields << field;
            m_controls << field;
        }
        fields->addStretch(1);
        grid->addLayout(fields, line, 1);
        row.answer = makeLiveLabel(12);
        row.answer->setObjectName(QStringLiteral("answer:") + message.name);
        row.answer->setToolTip(tr("What %1 answered last").arg(message.name));
        grid->addWidget(row.answer, line, 2);
        m_rows << row;
        const int index = int(m_rows.size()) - 1;
        connect(button, &QPushButton::clicked, this, [this, index] { call(m_rows.at(index)); });
        ++line;
    }
    grid->setColumnStretch(1, 1);
}

void OwnMessagesForm::call(const Row &row)
{
    QVariantList args;
    QStringList shown;
    for (qsizetype i = 0; i < row.fields.size(); ++i) {
        const MessageParameter &parameter = row.message.request.at(i);
        if (auto *box = qobject_cast<QCheckBox *>(row.fields.at(i))) {
            args << box->isChecked();
            shown << (box->isChecked() ? QStringLiteral("true") : QStringLiteral("false"));
            continue;
        }
        const QString text = static_cast<QLineEdit *>(row.fields.at(i))->text();
        if (text.isEmpty() && parameter.hasDefault())
            break; // this one and the rest take their defaults
        const QString type = plainType(parameter.type);
        const std::optional<QVariant> value = convert(text, type);
        if (!value) {
            m_actions->refuse(tr("%1: %2 must be a number (%3), not \"%4\"")
                                  .arg(row.message.name, parameter.name, type, text));
            return;
        }
        args << *value;
        shown << text;
    }
    QLabel *answer = row.answer;
    answer->clear();
    m_actions->call(
        QStringLiteral("%1(%2)").arg(row.message.name, shown.join(QStringLiteral(", "))),
        row.message.name, args, answer,
        [answer](const QVariant &response) { answer->setText(formatValue(response)); });
}

} // namespace Benchtop::Ui
