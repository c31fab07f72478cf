package dev.agentchat.client.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.agentchat.client.ApiClient;
import dev.agentchat.client.model.Message;
import dev.agentchat.client.testkit.FollowConformance;
import dev.agentchat.client.testkit.ReachedBeforeConformance;

/** The Java {@link RoomStream} told that its caller reached the room ({@code reachedBefore()}, docs/following.md). */
class RoomStreamReachedBeforeTest extends ReachedBeforeConformance {

    @Override
    protected FollowConformance.Follower followReached(String url, String password, long after) {
        return RoomStreamConformanceTest.follower(RoomStream.builder(Rooms.connect(url, password)).after(after).reachedBefore());
    }

    @Override
    protected FollowConformance.Follower followAt(String url, String password, String seen, boolean reachedBefore) {
        ApiClient client = Rooms.connect(url, password);
        try {
            RoomStream.Builder builder = RoomStream.builder(client).after(client.getObjectMapper().readValue(seen, Message.class));
            return RoomStreamConformanceTest.follower(reachedBefore ? builder.reachedBefore() : builder);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(seen, e);
        }
    }
}
