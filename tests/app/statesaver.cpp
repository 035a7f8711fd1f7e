// SPDX-License-Identifier: MIT
// For tst_killduringsave: saves one device's state over and over, as the device host does,
// until it is killed. State n holds `n` and 400 numbers that depend on it (about 6 kB of TOML), so
// that each save takes a while and a mix of two states would show. After each save it prints n on
// stdout, unbuffered, so the test knows the newest state that was completely saved.
//
//   statesaver DIRECTORY
#include <state/statestore.h>

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: statesaver DIRECTORY\n");
        return 2;
    }
    std::setvbuf(stdout, nullptr, _IONBF, 0);
    const Benchtop::StateStore store(QString::fromLocal8Bit(argv[1]));
    // Start after the newest state the file holds, so that every run saves new states.
    const Benchtop::StateStore::Loaded loaded
        = store.load(QStringLiteral("sim-motor"), QStringLiteral("stage"));
    for (qlonglong n = loaded.state.value(QStringLiteral("n"), 0).toLongLong() + 1;; ++n) {
        QVariantList trace;
        for (int i = 0; i < 400; ++i)
            trace << double(n) + i / 1000.0;
        store.save(QStringLiteral("sim-motor"), QStringLiteral("stage"),
            {{QStringLiteral("n"), n}, {QStringLiteral("position"), double(n) / 10.0},
                {QStringLiteral("trace"), trace}});
        std::printf("%lld\n", n);
    }
}
