package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One image held by the simulator. Two views of it exist, as in the real factory: the live state
 * (sent in callbacks) and the persisted state that GET reads, which factory only wrote at creation
 * ({@code add_image}) and at the terminal outcome ({@code save_image}) (real-install-notes Q4, Q5).
 */
final class SimImage {

    final String id;
    /** When the request that created it arrived (wall clock, for latency measured across processes). */
    final Instant receivedAt = Instant.now();
    final ImageType type;
    private String template;
    final String target;
    /** The base image of a target image, or the target image of a provider image; null if none. */
    private String parentId;
    final JsonNode parameters;
    /** Provider images only: what the client sent as {@code provider}. Credentials are never kept. */
    final String provider;
    /** Provider images only: whether the credentials asked for a failure (kept instead of them). */
    final boolean credentialsFail;
    /** Provider images only: the login the credentials name, reported as provider_account_identifier. */
    final String accountIdentifier;

    private FactoryStatus status = FactoryStatus.NEW;
    private int percent;
    private String activity = "Initializing image prior to Cloud/OS customization";
    private String error;
    private String icicle;
    private ObjectNode persisted;
    private String persistedParentId;
    private FactoryStatus persistedStatus = FactoryStatus.NEW;
    /** The builder thread has finished (after its save_image): what {@code Thread.join()} waited for. */
    private boolean buildEnded;
    private final List<String> reportedStatuses = new ArrayList<>();

    private String identifierOnProvider;
    private String providerAccountIdentifier;

    SimImage(String id, ImageType type, String template, String target, String parentId, JsonNode parameters) {
        this(id, type, template, target, parentId, parameters, null, false, null);
    }

    SimImage(String id, ImageType type, String template, String target, String parentId, JsonNode parameters,
             String provider, boolean credentialsFail, String accountIdentifier) {
        this.id = id;
        this.type = type;
        this.template = template;
        this.target = target;
        this.parentId = parentId;
        this.parameters = parameters;
        this.provider = provider;
        this.credentialsFail = credentialsFail;
        this.accountIdentifier = accountIdentifier;
        this.reportedStatuses.add(status.name());
    }

    /** A push finished: the cloud's id for the image and the account it was pushed with. */
    synchronized void pushed(String identifierOnProvider, String providerAccountIdentifier) {
        this.identifierOnProvider = identifierOnProvider;
        this.providerAccountIdentifier = providerAccountIdentifier;
    }

    synchronized String template() {
        return template;
    }

    synchronized void template(String template) {
        this.template = template;
    }

    synchronized String parentId() {
        return parentId;
    }

    synchronized void parentId(String parentId) {
        this.parentId = parentId;
    }

    /** The parent as the stored record names it (what GET and the list routes read). */
    synchronized String persistedParentId() {
        return persistedParentId;
    }

    synchronized FactoryStatus persistedStatus() {
        return persistedStatus;
    }

    synchronized boolean buildEnded() {
        return buildEnded;
    }

    synchronized void endBuild() {
        buildEnded = true;
    }

    /**
     * A factory restart (Q4): nothing in memory survives, so the live state becomes the stored one.
     * An image stored at NEW stays NEW forever, percent 0, no error, and never calls back.
     */
    synchronized void restartedFromDisk() {
        if (persistedStatus == FactoryStatus.NEW && !buildEnded) {
            status = FactoryStatus.NEW;
            percent = 0;
            activity = "Initializing image prior to Cloud/OS customization";
            error = null;
            buildEnded = true;
        }
    }

    synchronized FactoryStatus status() {
        return status;
    }

    synchronized int percent() {
        return percent;
    }

    synchronized String activity() {
        return activity;
    }

    synchronized void progress(int percent, String activity) {
        this.percent = percent;
        this.activity = activity;
    }

    /** Moves to a new status; returns false when it already had it (no callback is due then). */
    synchronized boolean moveTo(FactoryStatus next) {
        if (status == next) {
            return false;
        }
        status = next;
        reportedStatuses.add(next.name());
        return true;
    }

    synchronized void complete(String activity, String icicle) {
        this.percent = 100;
        this.activity = activity;
        this.icicle = icicle;
        moveTo(FactoryStatus.COMPLETE);
    }

    synchronized void fail(String activity, String error) {
        this.activity = activity;
        this.error = error;
        moveTo(FactoryStatus.FAILED);
    }

    synchronized void deleteFailed(String error) {
        this.error = error;
        this.activity = "Failed to delete image."; // Builder._delete_image
        moveTo(FactoryStatus.DELETEFAILED);
    }

    synchronized List<String> reportedStatuses() {
        return List.copyOf(reportedStatuses);
    }

    /** Factory wrote the image's metadata to storage only at NEW and at a terminal outcome. */
    synchronized void persist(ObjectMapper json) {
        persisted = fields(json);
        persistedParentId = parentId;
        persistedStatus = status;
    }

    synchronized ObjectNode persistedFields(ObjectMapper json) {
        return persisted == null ? fields(json) : persisted.deepCopy();
    }

    /** The fields of §3 that every representation shares (no href, no parent links). */
    synchronized ObjectNode fields(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("_type", type.typeName);
        node.put("id", id);
        node.put("status", status.name());
        node.put("percent_complete", percent);
        ObjectNode detail = node.putObject("status_detail");
        detail.put("activity", activity);
        if (error == null) {
            detail.putNull("error");
        } else {
            detail.put("error", error);
        }
        node.put("template", template);
        if (icicle == null) {
            node.putNull("icicle");
        } else {
            node.put("icicle", icicle);
        }
        if (parameters != null) {
            node.set("parameters", parameters.deepCopy());
        } else if (type == ImageType.PROVIDER) {
            node.putNull("parameters");
        } else {
            node.putObject("parameters");
        }
        node.putObject("properties");
        if (type == ImageType.TARGET) {
            node.put("target", target);
        }
        if (type == ImageType.PROVIDER) {
            node.put("provider", provider);
            putNullable(node, "identifier_on_provider", identifierOnProvider);
            putNullable(node, "provider_account_identifier", providerAccountIdentifier);
        }
        return node;
    }

    private static void putNullable(ObjectNode node, String field, String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
