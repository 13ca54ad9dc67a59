//! What CEN's operations refuse with. Codes the official catalogue
//! documents are answered as it says (see [`catalogue`](crate::catalogue));
//! the status and message here are what the others are answered with.

crate::refusal::refusals! {
    /// No such CEN instance.
    CEN_NOT_FOUND = (400, "ParameterCenInstanceId", "The specified CEN instance {} does not exist.");
    /// A CEN instance that still has network instances attached.
    CEN_HAS_CHILDREN = (400, "Forbidden.CenInstance.ChildInstanceAttached", "The CEN instance {} still has network instances attached; detach them first.");
    /// A CEN instance that still has bandwidth packages associated.
    CEN_HAS_PACKAGES = (400, "Forbidden.CenInstance.BandwidthPackageAssociated", "The CEN instance {} still has bandwidth packages associated; unassociate them first.");
    /// A network instance attached to a CEN instance already.
    CHILD_ALREADY_ATTACHED = (409, "InvalidOperation.ChildInstanceAlreadyAttached", "The network instance {} is already attached to {}.");
    /// A network instance that is not attached to the CEN instance.
    CHILD_NOT_FOUND = (404, "InvalidChildInstanceId.NotFound", "The network instance {} is not attached to {}.");
    /// No such bandwidth package.
    PACKAGE_NOT_FOUND = (400, "InvalidCenBandwidthPackageId.NotFound", "The specified bandwidth package {} does not exist.");
    /// A bandwidth package associated with a CEN instance already.
    PACKAGE_ALREADY_ASSOCIATED = (400, "Forbidden.BandwidthPackageAlreadyAssociated", "The bandwidth package {} is already associated with {}.");
    /// A bandwidth package that is not associated with the CEN instance.
    PACKAGE_NOT_ASSOCIATED = (400, "InvalidOperation.BandwidthPackageNotAssociated", "The bandwidth package {} is not associated with {}.");
    /// A bandwidth package in use, which cannot be deleted.
    PACKAGE_IN_USE = (403, "InvalidOperation.BwpInstanceStatus", "The bandwidth package {} is still associated with a CEN instance.");
}
