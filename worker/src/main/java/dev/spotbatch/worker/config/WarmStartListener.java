package dev.spotbatch.worker.config;

import dev.spotbatch.worker.WorkerApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Begins the {@link ModelWarmStart} as soon as the worker's environment is prepared (before the
 * context exists) and hands it to the context as bean {@value #BEAN}. Registered in {@code
 * META-INF/spring.factories}, so every start of {@link WorkerApplication} gets it (the process and
 * the tests alike) and any other application on the same class path does not. Settings that do not
 * bind here are left to the context, which binds them again and reports the error; the beans then
 * do the work themselves, in line.
 */
final class WarmStartListener implements SmartApplicationListener {
  static final String BEAN = "modelWarmStart";
  private static final Logger log = LoggerFactory.getLogger(WarmStartListener.class);

  private ModelWarmStart started;

  @Override
  public boolean supportsEventType(Class<? extends ApplicationEvent> type) {
    return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
        || ApplicationContextInitializedEvent.class.isAssignableFrom(type);
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
      if (!prepared.getSpringApplication().getAllSources().contains(WorkerApplication.class)) {
        return;
      }
      try {
        Binder binder = Binder.get(prepared.getEnvironment());
        WorkerProperties props =
            binder.bindOrCreate("spotbatch.worker", Bindable.of(WorkerProperties.class));
        DeviceProperties device =
            binder.bindOrCreate("spotbatch.worker", Bindable.of(DeviceProperties.class));
        OnnxProperties onnx =
            binder.bindOrCreate("spotbatch.worker.onnx", Bindable.of(OnnxProperties.class));
        started = ModelWarmStart.begin(props, device, onnx);
      } catch (RuntimeException e) {
        log.debug("no warm start: the settings do not bind yet", e);
      }
    } else if (event instanceof ApplicationContextInitializedEvent initialized && started != null) {
      initialized.getApplicationContext().getBeanFactory().registerSingleton(BEAN, started);
    }
  }
}
