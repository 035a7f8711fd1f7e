// SPDX-License-Identifier: MIT
#include "runqueueserver.h"

#include "runservice.h"

#include <device/deviceerror.h>
#include <device/messagetable.h>
#include <device/traits.h>
#include <yaq/wire/protocoldocument.h>

#include <QJsonArray>

namespace Benchtop::Run {

namespace {

const QJsonValue kNull = QStringLiteral("null");
const QJsonValue kBoolean = QStringLiteral("boolean");
const QJsonValue kInt = QStringLiteral("int");
const QJsonValue kString = QStringLiteral("string");

MessageDefinition message(const char *name, QList<MessageParameter> request,
    const QJsonValue &response, const char *doc, Effect effect = Effect::Acts)
{
    MessageDefinition definition;
    definition.name = QLatin1String(name);
    definition.trait = QStringLiteral("benchtop-runs");
    definition.request = std::move(request);
    definition.response = response;
    definition.doc = QString::fromUtf8(doc);
    definition.effect = effect;
    definition.answerer = Answerer::Device;
    return definition;
}

QList<MessageDefinition> ownMessages()
{
    const auto p = [](const char *name, const QJsonValue &type,
                       const QJsonValue &fallback = QJsonValue(QJsonValue::Undefined)) {
        return parameter(QLatin1String(name), type, fallback);
    };
    return {
        message("queue_plan", {p("plan", kString), p("position", kInt, -1)}, kString,
            "Checks a plan (TOML text, docs/runs.md) against the lab and queues it at position "
            "(-1: last); returns the run's uid."),
        message("get_queue", {}, avroArray(avroMap(kString)),
            "The queue's items: uid, kind (plan or stop), state (waiting, running, done, "
            "interrupted), plan_path, exit_status, reason, file.",
            Effect::Reads),
        message("remove", {p("uid", kString)}, kNull, "Removes a waiting item."),
        message("move", {p("uid", kString), p("position", kInt)}, kNull,
            "Moves a waiting item to position among the waiting ones."),
        message("add_stop_marker", {p("position", kInt, -1)}, kString,
            "Adds a queue-stop marker; returns its uid."),
        message("start_queue", {}, kNull, "Starts the next waiting plan if nothing runs."),
        message("pause", {p("now", kBoolean, false)}, kNull,
            "Pauses the run: after the point in flight, or now (the point is taken again)."),
        message("resume", {}, kNull, "Resumes a paused run."),
        message("stop", {}, kNull, "Ends the run after the point in flight (exit_status success)."),
        message("abort", {}, kNull, "Ends the run now (exit_status abort)."),
        message("get_status", {}, QStringLiteral("run_status"),
            "Where the runs are: state, uid, point, points, file, rate, seconds_left, message, "
            "waiting.",
            Effect::Reads),
    };
}

QJsonObject runStatusType()
{
    const auto field = [](const char *name, const char *type) {
        return QJsonObject{{QStringLiteral("name"), QLatin1String(name)},
            {QStringLiteral("type"), QLatin1String(type)}};
    };
    return {{QStringLiteral("type"), QStringLiteral("record")},
        {QStringLiteral("name"), QStringLiteral("run_status")},
        {QStringLiteral("fields"),
            QJsonArray{field("state", "string"), field("uid", "string"), field("point", "long"),
                field("points", "long"), field("file", "string"), field("rate", "double"),
                field("seconds_left", "double"), field("message", "string"),
                field("waiting", "int")}}};
}

QVariantMap itemMap(const QueueItem &item)
{
    return {{QStringLiteral("uid"), item.uid},
        {QStringLiteral("kind"),
            item.kind == QueueItem::Kind::StopMarker ? QStringLiteral("stop")
                                                     : QStringLiteral("plan")},
        {QStringLiteral("state"), toString(item.state)},
        {QStringLiteral("plan_path"), item.planPath}, {QStringLiteral("exit_status"), item.exitStatus},
        {QStringLiteral("reason"), item.reason}, {QStringLiteral("file"), item.file}};
}

} // namespace

QJsonObject RunQueueServer::protocol()
{
    QJsonObject messages;
    for (const TraitMessage &entry : traitMessages()) {
        if (entry.definition.trait == QLatin1String(Trait::IsDaemon))
            messages.insert(entry.definition.name, entry.definition.toJson());
    }
    for (const MessageDefinition &definition : ownMessages())
        messages.insert(definition.name, definition.toJson());
    return {{QStringLiteral("protocol"), QStringLiteral("benchtop-runs")},
        {QStringLiteral("doc"),
            QStringLiteral("The run queue of a Benchtop lab: queue plans, follow and control "
                           "runs (docs/runs.md).")},
        {QStringLiteral("traits"), QJsonArray{QLatin1String(Trait::IsDaemon)}},
        {QStringLiteral("types"), QJsonArray{runStatusType()}},
        {QStringLiteral("messages"), messages}, {QStringLiteral("config"), QJsonObject()},
        {QStringLiteral("state"), QJsonObject()}, {QStringLiteral("properties"), QJsonObject()}};
}

RunQueueServer::RunQueueServer(RunService &service, Options options, QObject *parent)
    : Yaq::Server(QStringLiteral("runs"), options, parent)
    , m_service(&service)
{
    setDocument(std::make_shared<const Yaq::ProtocolDocument>(protocol()));
}

bool RunQueueServer::callNowOrLater(
    const QString &message, QVariantList args, std::function<void(CallOutcome)> done)
{
    CallOutcome outcome;
    try {
        outcome.value = answer(message, args);
    } catch (...) {
        outcome.error = std::current_exception();
    }
    done(std::move(outcome));
    return true;
}

QVariant RunQueueServer::answer(const QString &message, const QVariantList &args)
{
    RunService *service = m_service.data();
    if (!service)
        throw DeviceError(QStringLiteral("runs: the lab is closing"));
    RunQueue &queue = service->queue();
    const auto refuse = [](const QString &why) { throw DeviceError(QStringLiteral("runs: ") + why); };

    if (message == QLatin1String("queue_plan")) {
        const RunService::Queued queued
            = service->queuePlan(args.value(0).toString().toUtf8(), {}, {}, args.value(1).toInt());
        if (!queued.errors.isEmpty()) {
            QStringList lines;
            for (const LabError &error : queued.errors)
                lines << error.toString();
            refuse(QStringLiteral("the plan cannot run:\n") + lines.join(QLatin1Char('\n')));
        }
        return queued.uid;
    }
    if (message == QLatin1String("get_queue")) {
        QVariantList items;
        for (const QueueItem &item : queue.items())
            items << itemMap(item);
        return items;
    }
    if (message == QLatin1String("remove")) {
        if (!queue.remove(args.value(0).toString()))
            refuse(QStringLiteral("no waiting item %1").arg(args.value(0).toString()));
        return {};
    }
    if (message == QLatin1String("move")) {
        if (!queue.move(args.value(0).toString(), args.value(1).toInt()))
            refuse(QStringLiteral("no waiting item %1").arg(args.value(0).toString()));
        return {};
    }
    if (message == QLatin1String("add_stop_marker"))
        return queue.addStopMarker(args.value(0).toInt());
    if (message == QLatin1String("start_queue")) {
        service->startQueue();
        return {};
    }
    if (message == QLatin1String("pause")) {
        service->pause(args.value(0).toBool() ? PauseMode::Now : PauseMode::Deferred);
        return {};
    }
    if (message == QLatin1String("resume")) {
        service->resume();
        return {};
    }
    if (message == QLatin1String("stop")) {
        service->stop();
        return {};
    }
    if (message == QLatin1String("abort")) {
        service->abort(QStringLiteral("aborted by a client"));
        return {};
    }
    if (message == QLatin1String("get_status")) {
        const RunStatus status = service->status();
        return QVariantMap{{QStringLiteral("state"), status.state},
            {QStringLiteral("uid"), status.uid}, {QStringLiteral("point"), status.point},
            {QStringLiteral("points"), status.points}, {QStringLiteral("file"), status.file},
            {QStringLiteral("rate"), status.rate},
            {QStringLiteral("seconds_left"), status.secondsLeft},
            {QStringLiteral("message"), status.message}, {QStringLiteral("waiting"), status.waiting}};
    }
    if (message == QLatin1String("busy"))
        return service->engine() != nullptr;
    if (message == QLatin1String("id")) {
        return QVariantMap{{QStringLiteral("name"), name()},
            {QStringLiteral("kind"), QStringLiteral("benchtop-runs")},
            {QStringLiteral("make"), QVariant()}, {QStringLiteral("model"), QVariant()},
            {QStringLiteral("serial"), QVariant()}};
    }
    if (message == QLatin1String("get_config") || message == QLatin1String("get_state"))
        return QVariantMap(); // an empty TOML document: nothing to configure, nothing kept
    refuse(QStringLiteral("no message %1").arg(message));
    return {};
}

void RunQueueServer::requestShutdown(bool restart)
{
    if (restart)
        return; // nothing to restart: the queue goes on
    stopListening();
    Q_EMIT shutDown(name());
}

} // namespace Benchtop::Run
