package io.buildq.internal.queue;

import javax.sql.DataSource;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/** Opens JobRunr's storage on the queue's database, the same way in every buildq process. */
public final class JobRunrStorage {

    private JobRunrStorage() {
    }

    public static JsonMapper jsonMapper() {
        return new JacksonJsonMapper();
    }

    /**
     * A storage provider on tables that {@code buildq migrate} created: it only checks that they exist,
     * so that a process never races another one to migrate.
     */
    public static StorageProvider open(DataSource dataSource, JsonMapper jsonMapper) {
        StorageProvider storageProvider = SqlStorageProviderFactory.using(dataSource, null, DatabaseOptions.SKIP_CREATE);
        storageProvider.setJobMapper(new JobMapper(jsonMapper));
        return storageProvider;
    }
}
