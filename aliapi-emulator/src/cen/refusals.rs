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
    /// A CEN instance being deleted, which takes no other change.
    CEN_STATUS = (400, "InvalidOperation.CenInstanceStatus", "The CEN instance {} is being deleted.");
    /// A CEN instance that still has transit routers.
    CEN_HAS_TRANSIT_ROUTERS = (400, "Forbidden.CenInstance.TransitRouterExists", "The CEN instance {} still has transit routers; delete them first.");
    /// No such CEN instance, named by an operation on transit routers.
    TR_CEN_NOT_FOUND = (400, "InvalidCenId.NotFound", "The CEN instance {} does not exist.");
    /// A second transit router of a CEN instance in one region.
    TRANSIT_ROUTER_EXISTS = (400, "InstanceExist.TransitRouterInstance", "The CEN instance {} has a transit router in {} already.");
    /// No such transit router.
    TRANSIT_ROUTER_NOT_FOUND = (400, "InvalidTransitRouterId.NotFound", "The transit router {} does not exist.");
    /// A transit router being deleted, which takes no attachment or table.
    TRANSIT_ROUTER_STATUS = (400, "IncorrectStatus.TransitRouter", "The transit router {} is being deleted.");
    /// A transit router that still has attachments or custom route tables.
    TRANSIT_ROUTER_IN_USE = (400, "OperationFailed.DeleteTransitRouter", "The transit router {} still has attachments or custom route tables.");
    /// Listing transit routers by none of CEN, transit router or region.
    TRANSIT_ROUTER_SCOPE = (400, "InvalidParameterCombination.TransitRouter", "Name a CenId, a TransitRouterId or a RegionId.");
    /// An attachment with neither a transit router nor a CEN instance and region.
    ATTACHMENT_SCOPE = (400, "MissingParam.CenIdOrRegionId", "Name a TransitRouterId, or a CenId and a RegionId.");
    /// No such attachment of this kind.
    ATTACHMENT_NOT_FOUND = (400, "InvalidTransitRouterAttachmentId.NotFound", "The attachment {} does not exist.");
    /// A peer attachment to a transit router that does not exist.
    PEER_NOT_FOUND = (400, "InvalidPeerTransitRouterId.NotFound", "The peer transit router {} does not exist.");
    /// No such route table.
    ROUTE_TABLE_NOT_FOUND = (400, "InvalidTransitRouterRouteTableId.NotFound", "The route table {} does not exist.");
    /// Deleting the route table a transit router comes with.
    ROUTE_TABLE_SYSTEM = (400, "OperationFailed.DeleteSystemRouteTable", "The route table {} is its transit router's system table.");
    /// Listing route tables by neither transit router nor table.
    ROUTE_TABLE_SCOPE = (400, "MissingParam.TransitRouterIdOrTransitRouterRouteTables", "Name a TransitRouterId or TransitRouterRouteTableIds.");
    /// A `NextToken` this service did not hand out.
    NEXT_TOKEN_ILLEGAL = (400, "IllegalParam.NextToken", "The NextToken {} was not returned by this service.");
    /// A `MaxResults` out of range.
    MAX_RESULTS_ILLEGAL = (400, "IllegalParam.MaxResults", "MaxResults must be from 1 to {}.");
    /// A request with `DryRun=true` that would have been carried out.
    DRY_RUN = (400, "DryRunOperation", "The request would have been carried out; DryRun is set.");
}
