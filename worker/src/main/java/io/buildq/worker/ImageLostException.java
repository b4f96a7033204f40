package io.buildq.worker;

import io.buildq.internal.job.JobRow;
import java.time.Duration;

/** Factory reported no outcome for the row's image within the deadline: it lost the build. */
final class ImageLostException extends RuntimeException {

    private final transient JobRow row;

    ImageLostException(JobRow row, Duration deadline) {
        super("Image Factory lost image " + row.factoryImageId() + ": no outcome within " + describe(deadline)
                + " of starting it (a factory restart leaves an image NEW forever); retry to build it again");
        this.row = row;
    }

    JobRow row() {
        return row;
    }

    private static String describe(Duration duration) {
        if (duration.toMinutes() >= 120) {
            return duration.toHours() + " h";
        }
        return duration.toSeconds() >= 120 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }
}
