// A Cloudflare Worker: every request runs the round trip and answers its result as JSON.
import { roundTrip } from "./round-trip.js";

export default {
  async fetch() {
    try {
      return Response.json(await roundTrip("hello from a Worker"));
    } catch (error) {
      return Response.json({ error: `${error?.name}: ${error?.message}` }, { status: 500 });
    }
  },
};
