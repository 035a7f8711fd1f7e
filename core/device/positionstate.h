// SPDX-License-Identifier: MIT
#pragma once

#include "device.h"
#include "traits.h"

namespace Benchtop {

class Device;

/// has-position done once, as yaqd-core's HasPosition: `position` and `destination` are the
/// device's published values, and setPosition() applies the has-limits policy (when the device
/// also has has-limits), records the destination and calls the driver's move(). A driver's
/// device derives from it (instead of the bare HasPosition interface) and writes move() and
/// units(). Thread affinity: the device's.
///
/// Both values start as NaN (unknown) until the driver publishes them.
class PositionState : public HasPosition {
public:
    /// `self` is the device deriving from this (`this` in its constructor).
    explicit PositionState(Device *self);

    // has-position
    double position() const override;
    double destination() const override;
    /// The target through the out_of_limits policy of the device's HasLimits (if it has it;
    /// ignored targets return at once), then destination = target and move(target). If move()
    /// throws, the destination is put back and the exception goes to the caller.
    void setPosition(double target) override;

protected:
    /// Starts the motion to `target` (already within limits) and returns at once; sets busy
    /// while it lasts. Throws DeviceError to refuse it (nothing has changed then).
    virtual void move(double target) = 0;

    /// Publishes where the device is.
    void publishPosition(double position);
    /// Publishes where it is going (or, after a stop, where it stopped).
    void publishDestination(double destination);

private:
    Device &m_self;
};

} // namespace Benchtop
