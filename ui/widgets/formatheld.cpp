// SPDX-License-Identifier: MIT
#include "formatheld.h"

#include <QCoreApplication>

namespace Benchtop::Ui {

using namespace std::chrono_literals;

QString formatHeld(std::chrono::milliseconds held)
{
    if (held >= 1s)
        return QCoreApplication::translate("formatHeld", "%1 s")
            .arg(QString::number(double(held.count()) / 1000.0, 'f', 1));
    return QCoreApplication::translate("formatHeld", "%1 ms").arg(held.count());
}

} // namespace Benchtop::Ui
