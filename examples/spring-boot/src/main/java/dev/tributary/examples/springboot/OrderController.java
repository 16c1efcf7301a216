package dev.tributary.examples.springboot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Logs one structured event per request: SLF4J 2 key-values arrive as typed fields. */
@RestController
class OrderController {

  private static final Logger LOG = LoggerFactory.getLogger(OrderController.class);

  @GetMapping("/orders/{id}")
  String order(@PathVariable("id") long id) {
    LOG.atInfo().setMessage("order accepted").addKeyValue("order_id", id).log();
    return "order " + id + " accepted\n";
  }
}
