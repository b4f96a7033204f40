package io.buildq.sim.factory;

import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.SimulatorServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes each request as factory's RESTv2.py did, after the simulator's own {@code POST /_sim/restart}:
 * route, then {@code @oauth_protect}, then {@code @check_accept_header}, then the handler.
 */
final class FactoryRouter implements SimulatorServer.Handler {

    private final OAuthGate oauth;
    private final Runnable restart;
    private final FactoryResponses responses;
    private final ImageViewHandler views;
    private final ImageCreateHandler creations;
    private final ImageDeleteHandler deletions;

    FactoryRouter(OAuthGate oauth, Runnable restart, FactoryResponses responses, ImageViewHandler views,
                  ImageCreateHandler creations, ImageDeleteHandler deletions) {
        this.oauth = oauth;
        this.restart = restart;
        this.responses = responses;
        this.views = views;
        this.creations = creations;
        this.deletions = deletions;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        if (path.equals("/_sim/restart") && exchange.getRequestMethod().equals("POST")) {
            SimulatorServer.readBody(exchange);
            restart.run();
            SimulatorServer.send(exchange, 204, null, new byte[0]);
            return;
        }
        if (segments.isEmpty() || !segments.get(0).equals("imagefactory")) {
            SimulatorServer.sendText(exchange, 404, "Not found: '" + path + "'");
            return;
        }
        boolean open = segments.size() == 1 || segments.get(1).equals("jeos") || segments.get(1).equals("targets");
        // Route, then @oauth_protect, then @check_accept_header, then the handler (RESTv2.py).
        if (!open && oauth.refused(exchange)) {
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && !accept.contains("*/*") && !accept.contains("application/json")
                && !accept.contains("xml")) {
            SimulatorServer.sendText(exchange, 406, "Responses in " + accept + " are currently unsupported.");
            return;
        }
        String method = exchange.getRequestMethod();
        if (segments.size() == 1 && method.equals("GET")) {
            responses.sendApiRoot(exchange);
            return;
        }
        if (segments.get(1).equals("targets")) {
            SimulatorServer.sendText(exchange, 501, "Not Implemented");
            return;
        }
        List<String> rest = segments.subList(1, segments.size());
        boolean single = rest.size() % 2 == 0;
        ImageType type = ImageType.fromCollection(rest.get(single ? rest.size() - 2 : rest.size() - 1));
        if (type == null) {
            // An unknown collection is a 500 in factory's list route, a 404 elsewhere.
            SimulatorServer.sendText(exchange, method.equals("GET") && !single ? 500 : 404,
                    "Not found: '" + path + "'");
            return;
        }
        // The parent of a nested collection, e.g. the target image of .../target_images/ID/provider_images.
        String parentFromPath = rest.size() >= 3 ? rest.get(rest.size() - 2) : null;
        if (single && method.equals("GET")) {
            views.getOne(exchange, type, rest.get(rest.size() - 1));
        } else if (single && method.equals("DELETE")) {
            deletions.delete(exchange, rest.get(rest.size() - 1));
        } else if (!single && method.equals("GET")) {
            views.list(exchange, type, parentFromPath);
        } else if (!single && method.equals("POST")) {
            creations.create(exchange, type, parentFromPath);
        } else {
            SimulatorServer.sendText(exchange, 405, "Method not allowed.");
        }
    }
}
