// setup.html: "Setup an Account" (a link to CONTRACTOR REGISTRATION; no API call).
import { initPage } from "./header.js";

initPage();
